import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionModule } from '../../infra/local/function-modules.ts';
import { rateIntervalMs, Scheduler, UnsupportedScheduleError } from '../../infra/local/scheduler.ts';
import type { Schedule } from '../../infra/topology.ts';

const MINUTE = 60_000;

describe('rateIntervalMs', () => {
  it.each([
    ['rate(1 minute)', MINUTE],
    ['rate(5 minutes)', 5 * MINUTE],
    ['rate(1 hour)', 60 * MINUTE],
    ['rate(2 hours)', 120 * MINUTE],
    ['rate(1 day)', 24 * 60 * MINUTE],
    ['rate(30 days)', 30 * 24 * 60 * MINUTE],
  ])('%s lasts the right number of ms', (expression, expected) => {
    expect(rateIntervalMs(expression)).toBe(expected);
  });

  it.each(['rate(1 minutes)', 'rate(2 minute)', 'rate(0 minutes)', 'rate(5 weeks)', 'every 5 minutes'])(
    'rejects %s',
    (expression) => {
      expect(() => rateIntervalMs(expression)).toThrow(UnsupportedScheduleError);
    },
  );

  it('says clearly that cron schedules are not run locally', () => {
    expect(() => rateIntervalMs('cron(0 12 * * ? *)')).toThrow(/unsupported locally/);
  });
});

describe('Scheduler', () => {
  let dir: string;
  let now: number;
  let events: ScheduledEvent[];
  const schedule: Schedule = {
    name: 'sweep',
    entry: 'fixture/sweep.ts',
    tables: [],
    expression: 'rate(5 minutes)',
  };
  const modules: Record<string, FunctionModule> = {
    'fixture/sweep.ts': {
      handler: async (event: ScheduledEvent) => {
        events.push(event);
      },
    },
  };
  const open = () =>
    Scheduler.open({
      schedules: [schedule],
      load: async (entry) => modules[entry] ?? {},
      stateFile: join(dir, 'schedules.json'),
      now: () => now,
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relaydesk-scheduler-'));
    now = Date.parse('2025-03-01T10:00:00Z');
    events = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a schedule once per period, with a Scheduled Event', async () => {
    const scheduler = await open();
    now += 5 * MINUTE - 1;
    expect(await scheduler.runDue()).toEqual([]);
    now += 1;
    expect(await scheduler.runDue()).toEqual(['sweep']);
    expect(await scheduler.runDue()).toEqual([]);
    now += 5 * MINUTE;
    expect(await scheduler.runDue()).toEqual(['sweep']);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2025-03-01T10:05:00Z',
      resources: [expect.stringMatching(/:rule\/relaydesk-sweep$/)],
      detail: {},
    });
  });

  it('keeps the last run across a restart, so restarts do not postpone the schedule', async () => {
    const first = await open();
    now += 5 * MINUTE;
    await first.runDue();
    await first.stop();
    now += 3 * MINUTE;
    const second = await open();
    expect(second.nextRuns()).toEqual({ sweep: Date.parse('2025-03-01T10:10:00Z') });
  });

  it('runs the next period even when a run failed', async () => {
    modules['fixture/failing.ts'] = {
      handler: async () => {
        throw new Error('boom');
      },
    };
    const errors: string[] = [];
    const scheduler = await Scheduler.open({
      schedules: [{ ...schedule, entry: 'fixture/failing.ts' }],
      load: async (entry) => modules[entry] ?? {},
      stateFile: join(dir, 'schedules.json'),
      now: () => now,
      onError: (message) => errors.push(message),
    });
    now += 5 * MINUTE;
    expect(await scheduler.runDue()).toEqual(['sweep']);
    expect(errors).toEqual(['schedule sweep failed']);
    expect(await scheduler.runDue()).toEqual([]);
  });

  it('runs a schedule on request whether due or not, and counts it as the latest run', async () => {
    const scheduler = await open();
    now += MINUTE;
    expect(await scheduler.runNow('sweep')).toEqual({ ran: true, startedAt: now });
    expect(events.map((event) => event.time)).toEqual(['2025-03-01T10:01:00Z']);
    expect(scheduler.nextRuns()).toEqual({ sweep: now + 5 * MINUTE });
    expect(await scheduler.runNow('nothing-by-that-name')).toEqual({ ran: false });
  });

  it('reports the error of a run on request', async () => {
    const boom = new Error('boom');
    modules['fixture/failing.ts'] = {
      handler: async () => {
        throw boom;
      },
    };
    const scheduler = await Scheduler.open({
      schedules: [{ ...schedule, entry: 'fixture/failing.ts' }],
      load: async (entry) => modules[entry] ?? {},
      stateFile: join(dir, 'schedules.json'),
      now: () => now,
      onError: () => {},
    });
    expect(await scheduler.runNow('sweep')).toEqual({ ran: true, startedAt: now, error: boom });
  });

  it('never overlaps runs of one schedule: a request waits for the running one, a tick skips it', async () => {
    let release: () => void = () => {};
    const started: string[] = [];
    modules['fixture/slow.ts'] = {
      handler: async (event: ScheduledEvent) => {
        started.push(event.id);
        if (started.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
    };
    const scheduler = await Scheduler.open({
      schedules: [{ ...schedule, entry: 'fixture/slow.ts' }],
      load: async (entry) => modules[entry] ?? {},
      stateFile: join(dir, 'schedules.json'),
      now: () => now,
    });
    now += 5 * MINUTE;
    const tick = scheduler.runDue();
    const requested = scheduler.runNow('sweep');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toHaveLength(1);
    now += 5 * MINUTE;
    expect(await scheduler.runDue()).toEqual([]);
    release();
    expect(await tick).toEqual(['sweep']);
    expect(await requested).toMatchObject({ ran: true });
    expect(started).toHaveLength(2);
  });
});
