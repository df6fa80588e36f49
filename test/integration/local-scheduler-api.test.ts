import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localQueueArn, localQueueConsumer, SchedulerLocal } from '../../infra/local/scheduler-local.ts';
import { SchedulerOneTimeTimers } from '../../shared/runtime/one-time-timers.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MINUTE = 60_000;
const QUEUE = localQueueArn('check-sla-breach');

let dataDir: string;
let now: number;
let delivered: { consumer: string; input: string }[];
let running: SchedulerLocal[];

const startScheduler = async () => {
  const scheduler = await SchedulerLocal.start(
    {
      port: 0,
      portVariable: 'RELAYDESK_SCHEDULER_PORT',
      stateFile: join(dataDir, 'scheduler-api.json'),
      now: () => now,
      deliver: async (targetArn, input) => {
        delivered.push({ consumer: localQueueConsumer(targetArn), input });
      },
    },
    // The tests fire schedules themselves (fireDue) with the injected clock.
    3_600_000,
  );
  running.push(scheduler);
  const client = new SchedulerClient({
    endpoint: scheduler.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const timers = new SchedulerOneTimeTimers(
    { groupName: 'relaydesk-timers', targetArn: QUEUE, roleArn: 'arn:aws:iam::local:role/scheduler' },
    client,
    () => now,
  );
  return { scheduler, client, timers };
};

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'relaydesk-scheduler-'));
  now = T0;
  delivered = [];
  running = [];
});

afterEach(async () => {
  for (const scheduler of running) await scheduler.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the local Scheduler API', () => {
  it('fires a one-time schedule at its instant on the injected clock, onto the target queue, then deletes it', async () => {
    const { scheduler, client, timers } = await startScheduler();
    await timers.put('sla-7-first_reply_time', new Date(T0 + 30 * MINUTE).toISOString(), { ticket_id: 7 });

    now = T0 + 29 * MINUTE;
    expect(await scheduler.fireDue()).toBe(0);
    now = T0 + 30 * MINUTE;
    expect(await scheduler.fireDue()).toBe(1);
    expect(delivered).toEqual([{ consumer: 'check-sla-breach', input: '{"ticket_id":7}' }]);

    await expect(
      client.send(new GetScheduleCommand({ Name: 'sla-7-first_reply_time', GroupName: 'relaydesk-timers' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(await scheduler.fireDue()).toBe(0);
  });

  it('answers GetSchedule as Scheduler does', async () => {
    const { client, timers } = await startScheduler();
    await timers.put('sla-7-first_reply_time', '2026-03-02T10:30:00Z', { ticket_id: 7 });
    const schedule = await client.send(
      new GetScheduleCommand({ Name: 'sla-7-first_reply_time', GroupName: 'relaydesk-timers' }),
    );
    expect(schedule).toMatchObject({
      Name: 'sla-7-first_reply_time',
      GroupName: 'relaydesk-timers',
      Arn: 'arn:aws:scheduler:us-east-1:local:schedule/relaydesk-timers/sla-7-first_reply_time',
      ScheduleExpression: 'at(2026-03-02T10:30:00)',
      State: 'ENABLED',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: QUEUE, Input: '{"ticket_id":7}' },
    });
    expect(schedule.CreationDate).toEqual(new Date(T0));
  });

  it('moves a schedule on update: it fires at the new instant only, with the new input', async () => {
    const { scheduler, timers } = await startScheduler();
    await timers.put('sla-7-first_reply_time', '2026-03-02T10:30:00Z', { version: 1 });
    await timers.put('sla-7-first_reply_time', '2026-03-02T11:00:00Z', { version: 2 });

    now = T0 + 45 * MINUTE;
    expect(await scheduler.fireDue()).toBe(0);
    now = T0 + 60 * MINUTE;
    expect(await scheduler.fireDue()).toBe(1);
    expect(delivered.map((fired) => fired.input)).toEqual(['{"version":2}']);
  });

  it('cancels a deleted schedule, and deleting one that is gone is fine', async () => {
    const { scheduler, timers } = await startScheduler();
    await timers.put('sla-7-first_reply_time', '2026-03-02T10:30:00Z', {});
    await timers.delete('sla-7-first_reply_time');
    await timers.delete('sla-7-first_reply_time');
    now = T0 + 60 * MINUTE;
    expect(await scheduler.fireDue()).toBe(0);
    expect(delivered).toEqual([]);
  });

  it('keeps schedules across a restart and fires them afterwards', async () => {
    const first = await startScheduler();
    await first.timers.put('sla-7-first_reply_time', '2026-03-02T10:30:00Z', { ticket_id: 7 });
    await first.scheduler.stop();
    running = [];

    const second = await startScheduler();
    now = T0 + 31 * MINUTE;
    expect(await second.scheduler.fireDue()).toBe(1);
    expect(delivered).toEqual([{ consumer: 'check-sla-breach', input: '{"ticket_id":7}' }]);
  });

  it('refuses a second create of the same name, and recurring schedules it cannot run', async () => {
    const { client, timers } = await startScheduler();
    await timers.put('sla-7-first_reply_time', '2026-03-02T10:30:00Z', {});
    const create = (name: string, expression: string) =>
      client.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: 'relaydesk-timers',
          ScheduleExpression: expression,
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: QUEUE, RoleArn: 'arn:aws:iam::local:role/scheduler' },
        }),
      );
    await expect(create('sla-7-first_reply_time', 'at(2026-03-02T10:30:00)')).rejects.toMatchObject({
      name: 'ConflictException',
    });
    await expect(create('hourly', 'rate(1 hour)')).rejects.toBeInstanceOf(ValidationException);
  });

  it('retries a delivery that failed on the next tick', async () => {
    let failures = 1;
    const scheduler = await SchedulerLocal.start(
      {
        port: 0,
        portVariable: 'RELAYDESK_SCHEDULER_PORT',
        stateFile: join(dataDir, 'scheduler-api.json'),
        now: () => now,
        deliver: async (_arn, input) => {
          if (failures-- > 0) throw new Error('queue unavailable');
          delivered.push({ consumer: 'check-sla-breach', input });
        },
        onError: () => {},
      },
      3_600_000,
    );
    running.push(scheduler);
    const timers = new SchedulerOneTimeTimers(
      { groupName: 'relaydesk-timers', targetArn: QUEUE, roleArn: 'arn:aws:iam::local:role/scheduler' },
      new SchedulerClient({
        endpoint: scheduler.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      () => now,
    );
    await timers.put('sla-7-first_reply_time', '2026-03-02T10:30:00Z', { ticket_id: 7 });
    now = T0 + 30 * MINUTE;
    expect(await scheduler.fireDue()).toBe(0);
    expect(await scheduler.fireDue()).toBe(1);
    expect(delivered).toHaveLength(1);
  });
});
