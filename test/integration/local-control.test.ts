import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRequestListener,
  type LocalHttpServer,
  listenOnLoopback,
} from '../../infra/local/http-adapter.ts';
import { LocalClock } from '../../infra/local/local-clock.ts';
import { freePort } from '../../infra/local/ports.ts';
import { RouteTable } from '../../infra/local/route-table.ts';
import { Scheduler } from '../../infra/local/scheduler.ts';
import { clockOffset, nowMs, nowTimestamp, setClockOffset } from '../../shared/domain/clock.ts';

const HOUR = 3_600_000;

describe('local control endpoints', () => {
  let dir: string;
  let base: string;
  let http: LocalHttpServer;
  let scheduler: Scheduler;
  /** What the schedule's handler saw when it ran: its event time and the process clock. */
  const runs: { eventTime: string; now: string }[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relaydesk-control-'));
    const clock = await LocalClock.open(dir);
    scheduler = await Scheduler.open({
      schedules: [{ name: 'sweep', entry: 'fixture/sweep.ts', tables: [], expression: 'rate(1 hour)' }],
      load: async () => ({
        handler: async (event: ScheduledEvent) => {
          // Slow enough that a reply sent before the run finished would show.
          await new Promise((resolve) => setTimeout(resolve, 50));
          runs.push({ eventTime: event.time, now: nowTimestamp() });
        },
      }),
      stateFile: join(dir, 'schedules.json'),
      now: nowMs,
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    http = await listenOnLoopback(
      createRequestListener({
        routes: new RouteTable([]),
        authorizer: { entry: 'fixture/authorizer.ts', tables: [] },
        load: async () => ({}),
        localControl: { clock, scheduler },
      }),
      port,
      'RELAYDESK_PORT',
    );
  });
  afterAll(async () => {
    await http.stop();
    await scheduler.stop();
    setClockOffset(0);
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the clock', async () => {
    const answer = await call('GET', '/_local/clock');
    expect(answer).toEqual({ status: 200, body: { clock: { now: expect.any(String), offset_minutes: 0 } } });
  });

  it('moves every "now" of the process forward, and keeps the move across a restart', async () => {
    const answer = await call('POST', '/_local/clock', { advance_minutes: 97 * 60 });
    expect(answer.status).toBe(200);
    expect(answer.body.clock).toMatchObject({ offset_minutes: 97 * 60 });
    expect(clockOffset()).toBe(97 * HOUR);
    expect(Date.parse(nowTimestamp()) - Date.now()).toBeGreaterThan(97 * HOUR - 2000);

    const more = await call('POST', '/_local/clock', { advance_minutes: 30 });
    expect(more.body.clock).toMatchObject({ offset_minutes: 97 * 60 + 30 });
    expect(JSON.parse(await readFile(join(dir, 'clock.json'), 'utf8'))).toEqual({ offset_ms: 97.5 * HOUR });

    setClockOffset(0);
    await LocalClock.open(dir);
    expect(clockOffset()).toBe(97.5 * HOUR);
  });

  it.each([
    ['a negative advance', { advance_minutes: -5 }],
    ['a fraction of a minute', { advance_minutes: 1.5 }],
    ['no advance', {}],
    ['a body that is not JSON', 'soon'],
  ])('refuses %s with a Zendesk-style error, leaving the clock alone', async (_name, body) => {
    const before = clockOffset();
    const answer = await call('POST', '/_local/clock', body);
    expect(answer).toEqual({
      status: 400,
      body: { error: 'InvalidRequest', description: expect.stringContaining('advance_minutes') },
    });
    expect(clockOffset()).toBe(before);
  });

  it('runs a schedule on request and answers once the run finished, at the moved time', async () => {
    runs.length = 0;
    const answer = await call('POST', '/_local/schedules/sweep/run');
    expect(answer).toEqual({ status: 200, body: { schedule: 'sweep', ran_at: expect.any(String) } });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.eventTime).toBe(answer.body.ran_at);
    expect(Date.parse(runs[0]?.now ?? '') - Date.now()).toBeGreaterThan(97 * HOUR - 2000);
  });

  it('answers 404 for a schedule the topology does not have, and for other local paths', async () => {
    expect(await call('POST', '/_local/schedules/nope/run')).toEqual({
      status: 404,
      body: { error: 'InvalidEndpoint', description: 'No schedule named nope in the topology' },
    });
    expect((await call('POST', '/_local/else')).status).toBe(404);
  });
});
