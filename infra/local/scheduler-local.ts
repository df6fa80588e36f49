/**
 * The local EventBridge Scheduler: the REST-JSON API the SDK's SchedulerClient calls (CreateSchedule,
 * UpdateSchedule, DeleteSchedule, GetSchedule) for one-time `at()` schedules, so functions run the
 * same timer code as in AWS with AWS_ENDPOINT_URL_SCHEDULER pointing here. Schedules are kept in the
 * data folder; each fires once its instant is reached on the runtime's clock (which POST /_local/clock
 * moves), by handing its input to `deliver` (the event fabric's queue named by the target ARN), and is
 * then deleted or kept as ActionAfterCompletion says. Like Scheduler, a failed delivery is retried.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { AtomicJsonFile } from './atomic-json-file.ts';
import { listenOnLoopback } from './http-adapter.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './local-aws.ts';
import { type PollLoop, startPollLoop } from './poll-loop.ts';

const AT_EXPRESSION = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;
const DEFAULT_GROUP = 'default';

const scheduleInput = z.object({
  ScheduleExpression: z
    .string()
    .regex(AT_EXPRESSION, 'only one-time at(yyyy-mm-ddThh:mm:ss) schedules run locally'),
  ScheduleExpressionTimezone: z.literal('UTC').optional(),
  GroupName: z.string().regex(NAME).optional(),
  FlexibleTimeWindow: z.object({
    Mode: z.enum(['OFF', 'FLEXIBLE']),
    MaximumWindowInMinutes: z.number().optional(),
  }),
  ActionAfterCompletion: z.enum(['NONE', 'DELETE']).optional(),
  State: z.enum(['ENABLED', 'DISABLED']).optional(),
  Description: z.string().optional(),
  Target: z.object({ Arn: z.string().min(1), RoleArn: z.string().min(1), Input: z.string().optional() }),
});
type ScheduleInput = z.infer<typeof scheduleInput>;

interface StoredSchedule {
  name: string;
  group: string;
  /** Epoch ms the `at()` expression names (UTC). */
  dueAt: number;
  input: ScheduleInput;
  createdAt: number;
  modifiedAt: number;
  /** Fired and kept (ActionAfterCompletion NONE): a one-time schedule never fires twice. */
  completed: boolean;
}

interface SchedulerState {
  schedules: StoredSchedule[];
}

export interface SchedulerLocalOptions {
  port: number;
  portVariable: string;
  stateFile: string;
  /** The runtime's clock (shared/domain/clock.ts nowMs), so moving it makes schedules due. */
  now: () => number;
  /** Sends a fired schedule's input to its target. Without it schedules are kept but never fire. */
  deliver?: (targetArn: string, input: string) => Promise<void>;
  onError?: (message: string, error: unknown) => void;
}

class SchedulerApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const scheduleArn = (group: string, name: string) =>
  `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}:schedule/${group}/${name}`;
const key = (group: string, name: string) => `${group}/${name}`;
const epochSeconds = (ms: number) => ms / 1000;

/** The event-fabric consumer a local queue ARN names (`arn:aws:sqs:<region>:local:relaydesk-<name>`). */
export const localQueueConsumer = (queueArn: string): string => {
  const match = /^arn:aws:sqs:[^:]+:[^:]+:relaydesk-(.+)$/.exec(queueArn);
  if (!match?.[1]) throw new Error(`Not a local queue ARN: ${queueArn}`);
  return match[1];
};

export const localQueueArn = (consumerName: string): string =>
  `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:relaydesk-${consumerName}`;

export class SchedulerLocal {
  private readonly schedules = new Map<string, StoredSchedule>();
  private readonly file: AtomicJsonFile<SchedulerState>;
  private loop: PollLoop | undefined;
  private stopServer: (() => Promise<void>) | undefined;
  endpoint = '';

  private constructor(private readonly options: SchedulerLocalOptions) {
    this.file = new AtomicJsonFile(options.stateFile, () => ({ schedules: [...this.schedules.values()] }));
  }

  /** Loads the kept schedules, listens on loopback and starts firing (every `tickMs`). */
  static async start(options: SchedulerLocalOptions, tickMs = 500): Promise<SchedulerLocal> {
    const scheduler = new SchedulerLocal(options);
    for (const schedule of (await scheduler.file.read())?.schedules ?? []) {
      scheduler.schedules.set(key(schedule.group, schedule.name), schedule);
    }
    const server = await listenOnLoopback(
      (request, response) => void scheduler.serve(request, response),
      options.port,
      options.portVariable,
    );
    scheduler.stopServer = server.stop;
    const address = server.server.address();
    scheduler.endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}`;
    if (options.deliver) {
      scheduler.loop = startPollLoop(
        async () => {
          await scheduler.fireDue();
        },
        tickMs,
        (error) => scheduler.reportError('firing schedules failed', error),
      );
    }
    return scheduler;
  }

  /** Fires every schedule due now; returns how many were delivered. */
  async fireDue(): Promise<number> {
    const deliver = this.options.deliver;
    if (!deliver) return 0;
    const now = this.options.now();
    const due = [...this.schedules.values()]
      .filter(
        (schedule) => !schedule.completed && schedule.input.State !== 'DISABLED' && schedule.dueAt <= now,
      )
      .sort((a, b) => a.dueAt - b.dueAt);
    let delivered = 0;
    for (const schedule of due) {
      try {
        await deliver(schedule.input.Target.Arn, schedule.input.Target.Input ?? '');
      } catch (error) {
        // Scheduler retries a failed invocation; so do we, on the next tick.
        this.reportError(`schedule ${key(schedule.group, schedule.name)} could not be delivered`, error);
        continue;
      }
      delivered++;
      // Moved or replaced while it was being delivered: the new version is still to fire.
      if (this.schedules.get(key(schedule.group, schedule.name)) !== schedule) continue;
      if (schedule.input.ActionAfterCompletion === 'DELETE')
        this.schedules.delete(key(schedule.group, schedule.name));
      else schedule.completed = true;
    }
    if (delivered > 0) await this.file.save();
    return delivered;
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    this.loop = undefined;
    await this.stopServer?.();
    await this.file.save();
  }

  private reportError(message: string, error: unknown): void {
    (this.options.onError ?? ((text, cause) => console.error(`[scheduler api] ${text}`, cause)))(
      message,
      error,
    );
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const name = /^\/schedules\/([^/]+)$/.exec(url.pathname)?.[1];
      if (!name)
        throw new SchedulerApiError(404, 'ResourceNotFoundException', `No such API: ${url.pathname}`);
      const scheduleName = decodeURIComponent(name);
      if (!NAME.test(scheduleName)) throw new SchedulerApiError(400, 'ValidationException', 'Invalid name');
      const body = await readBody(request);
      const result = await this.handle(request.method ?? 'GET', scheduleName, url.searchParams, body);
      send(response, 200, result);
    } catch (error) {
      if (error instanceof SchedulerApiError) {
        send(response, error.status, { Message: error.message }, error.type);
        return;
      }
      this.reportError('request failed', error);
      send(response, 500, { Message: 'Internal error' }, 'InternalServerException');
    }
  }

  private async handle(
    method: string,
    name: string,
    query: URLSearchParams,
    body: string,
  ): Promise<Record<string, unknown>> {
    if (method === 'POST' || method === 'PUT') {
      const parsed = scheduleInput.safeParse(body ? JSON.parse(body) : {});
      if (!parsed.success) {
        throw new SchedulerApiError(400, 'ValidationException', z.prettifyError(parsed.error));
      }
      const group = parsed.data.GroupName ?? DEFAULT_GROUP;
      const existing = this.schedules.get(key(group, name));
      if (method === 'POST' && existing) {
        throw new SchedulerApiError(409, 'ConflictException', `Schedule ${name} already exists.`);
      }
      if (method === 'PUT' && !existing) {
        throw new SchedulerApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
      }
      const at = AT_EXPRESSION.exec(parsed.data.ScheduleExpression)?.[1] as string;
      const now = this.options.now();
      this.schedules.set(key(group, name), {
        name,
        group,
        dueAt: Date.parse(`${at}Z`),
        input: parsed.data,
        createdAt: existing?.createdAt ?? now,
        modifiedAt: now,
        completed: false,
      });
      await this.file.save();
      return { ScheduleArn: scheduleArn(group, name) };
    }
    const group = query.get('groupName') ?? DEFAULT_GROUP;
    const existing = this.schedules.get(key(group, name));
    if (!existing)
      throw new SchedulerApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    if (method === 'DELETE') {
      this.schedules.delete(key(group, name));
      await this.file.save();
      return {};
    }
    if (method !== 'GET')
      throw new SchedulerApiError(400, 'ValidationException', `Unsupported method ${method}`);
    return {
      Arn: scheduleArn(group, name),
      GroupName: group,
      Name: name,
      ScheduleExpression: existing.input.ScheduleExpression,
      ScheduleExpressionTimezone: existing.input.ScheduleExpressionTimezone ?? 'UTC',
      State: existing.input.State ?? 'ENABLED',
      ...(existing.input.Description === undefined ? {} : { Description: existing.input.Description }),
      CreationDate: epochSeconds(existing.createdAt),
      LastModificationDate: epochSeconds(existing.modifiedAt),
      Target: existing.input.Target,
      FlexibleTimeWindow: existing.input.FlexibleTimeWindow,
      ActionAfterCompletion: existing.input.ActionAfterCompletion ?? 'NONE',
    };
  }
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const send = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(JSON.stringify(body));
};
