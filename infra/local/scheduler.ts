/**
 * The local EventBridge scheduled rules: runs each topology schedule's handler with a Scheduled Event on
 * its `rate(...)`. The last run of each schedule is kept on disk, so a daily job still runs daily when
 * the runtime is restarted more often than that.
 *
 * Seam for one-time `at()` timers (SLA, survey delays): they are the same kind of entry, with a due time
 * and no period, removed once run; `runDue` already works from due times alone.
 *
 * Runs of one schedule never overlap: a tick skips a schedule that is still running, and `runNow`
 * (POST /_local/schedules/{name}/run) waits for the running one before it starts its own.
 */
import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { Schedule } from '../topology.ts';
import { AtomicJsonFile } from './atomic-json-file.ts';
import { runWithGrants } from './function-grants.ts';
import { exportedFunction, type ModuleLoader } from './function-modules.ts';
import { createLambdaContext } from './lambda-context.ts';
import { eventBridgeTime, LOCAL_ACCOUNT, LOCAL_REGION } from './local-aws.ts';
import { type PollLoop, startPollLoop } from './poll-loop.ts';

export class UnsupportedScheduleError extends Error {}

const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** The period of a `rate(N unit)` expression, with EventBridge's rule that 1 takes the singular unit. */
export const rateIntervalMs = (expression: string): number => {
  if (expression.startsWith('cron(')) {
    throw new UnsupportedScheduleError(
      `Schedule expression ${expression} is unsupported locally: the local scheduler runs rate(...) only`,
    );
  }
  const match = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  const count = Number(match?.[1]);
  const unit = match?.[2] ?? '';
  if (!match || count < 1 || (count === 1) !== !unit.endsWith('s')) {
    throw new UnsupportedScheduleError(`Schedule expression ${expression} is not a valid rate(...)`);
  }
  return count * (UNIT_MS[unit] ?? 0);
};

type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

interface ScheduleState {
  /** When the schedule was first seen: the period counts from here until the first run. */
  since: number;
  lastRunAt?: number;
}

export interface SchedulerOptions {
  schedules: readonly Schedule[];
  load: ModuleLoader;
  stateFile: string;
  /** The runtime passes the process clock, so moving it (POST /_local/clock) makes schedules due. */
  now?: () => number;
  onError?: (message: string, error: unknown) => void;
}

/** What running a schedule on request gave: its handler's error, if it threw. */
export type ScheduleRun = { ran: false } | { ran: true; startedAt: number; error?: unknown };

export class Scheduler {
  private state: Record<string, ScheduleState> = {};
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly file: AtomicJsonFile<Record<string, ScheduleState>>;
  private readonly periods: ReadonlyMap<string, number>;
  private loop: PollLoop | undefined;

  private constructor(private readonly options: SchedulerOptions) {
    // Parse every expression up front so a bad one stops `npm start` instead of failing silently later.
    this.periods = new Map(
      options.schedules.map((schedule) => [schedule.name, rateIntervalMs(schedule.expression)]),
    );
    this.file = new AtomicJsonFile(options.stateFile, () => this.state);
  }

  static async open(options: SchedulerOptions): Promise<Scheduler> {
    const scheduler = new Scheduler(options);
    const saved = (await scheduler.file.read()) ?? {};
    const now = scheduler.now();
    for (const schedule of options.schedules) {
      scheduler.state[schedule.name] = saved[schedule.name] ?? { since: now };
    }
    await scheduler.file.save();
    return scheduler;
  }

  /** When each schedule runs next (epoch ms). */
  nextRuns(): Record<string, number> {
    return Object.fromEntries(
      this.options.schedules.map((schedule) => [schedule.name, this.nextRunAt(schedule)]),
    );
  }

  /** Runs every schedule that is due now; returns the names that ran. */
  async runDue(): Promise<string[]> {
    const due = this.options.schedules.filter(
      (schedule) => !this.running.has(schedule.name) && this.nextRunAt(schedule) <= this.now(),
    );
    await Promise.all(due.map((schedule) => this.runExclusively(schedule)));
    if (due.length > 0) await this.file.save();
    return due.map((schedule) => schedule.name);
  }

  /** Runs one schedule now, whether due or not, and resolves once its handler has finished. */
  async runNow(name: string): Promise<ScheduleRun> {
    const schedule = this.options.schedules.find((candidate) => candidate.name === name);
    if (!schedule) return { ran: false };
    for (let inFlight = this.running.get(name); inFlight; inFlight = this.running.get(name)) {
      await inFlight.catch(() => {});
    }
    const startedAt = this.now();
    const error = await this.runExclusively(schedule);
    await this.file.save();
    return { ran: true, startedAt, ...(error === undefined ? {} : { error }) };
  }

  start(tickMs = 1000): void {
    this.loop = startPollLoop(
      async () => {
        await this.runDue();
      },
      tickMs,
      (error) => this.reportError('the scheduler failed', error),
    );
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    this.loop = undefined;
    await this.file.save();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private nextRunAt(schedule: Schedule): number {
    const state = this.state[schedule.name];
    return (state?.lastRunAt ?? state?.since ?? this.now()) + (this.periods.get(schedule.name) ?? 0);
  }

  private reportError(message: string, error: unknown): void {
    (this.options.onError ?? ((text, cause) => console.error(`[scheduler] ${text}`, cause)))(message, error);
  }

  private runExclusively(schedule: Schedule): Promise<unknown> {
    const run = this.run(schedule).finally(() => this.running.delete(schedule.name));
    this.running.set(schedule.name, run);
    return run;
  }

  /** Resolves with the handler's error, if any (already reported). */
  private async run(schedule: Schedule): Promise<unknown> {
    const startedAt = this.now();
    const event: ScheduledEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: LOCAL_ACCOUNT,
      time: eventBridgeTime(new Date(startedAt)),
      region: LOCAL_REGION,
      resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/relaydesk-${schedule.name}`],
      detail: {},
    };
    let failure: unknown;
    try {
      const handler = await exportedFunction<ScheduledHandler>(this.options.load, schedule.entry);
      const functionName = `relaydesk-${schedule.name}`;
      await runWithGrants(functionName, schedule, () =>
        handler(event, createLambdaContext(functionName, schedule.timeoutSeconds, schedule.memoryMb)),
      );
    } catch (error) {
      // Like an asynchronous invocation that exhausted its retries: logged, and the next period runs anew.
      this.reportError(`schedule ${schedule.name} failed`, error);
      failure = error;
    }
    const state = this.state[schedule.name];
    if (state) state.lastRunAt = startedAt;
    return failure;
  }
}
