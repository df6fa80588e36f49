import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { atExpression, SchedulerOneTimeTimers } from '../../shared/runtime/one-time-timers.ts';

const scheduler = mockClient(SchedulerClient);
const NOW = Date.parse('2026-03-02T10:00:00Z');
const config = {
  groupName: 'relaydesk-timers',
  targetArn: 'arn:aws:sqs:eu-west-1:123456789012:sla-timers',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler',
};
const timers = () => new SchedulerOneTimeTimers(config, new SchedulerClient({}), () => NOW);
const notFound = () =>
  new ResourceNotFoundException({ Message: 'no such schedule', message: 'no such schedule', $metadata: {} });
const conflict = () => new ConflictException({ Message: 'exists', message: 'exists', $metadata: {} });

const expectedSchedule = {
  Name: 'sla-7-first_reply_time',
  GroupName: 'relaydesk-timers',
  ScheduleExpression: 'at(2026-03-02T10:30:00)',
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: {
    Arn: config.targetArn,
    RoleArn: config.roleArn,
    Input: JSON.stringify({ ticket_id: 7, metric: 'first_reply_time' }),
  },
};

beforeEach(() => scheduler.reset());

describe('the Scheduler one-time timers', () => {
  it('moves an existing timer with UpdateSchedule and creates nothing', async () => {
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await timers().put('sla-7-first_reply_time', '2026-03-02T10:30:00Z', {
      ticket_id: 7,
      metric: 'first_reply_time',
    });
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((call) => call.args[0].input)).toEqual([
      expectedSchedule,
    ]);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('creates the timer when there is none to move', async () => {
    scheduler.on(UpdateScheduleCommand).rejects(notFound());
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await timers().put('sla-7-first_reply_time', '2026-03-02T10:30:00Z', {
      ticket_id: 7,
      metric: 'first_reply_time',
    });
    expect(scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input)).toEqual([
      expectedSchedule,
    ]);
  });

  it('moves the timer a concurrent put created between its update and its create', async () => {
    scheduler.on(UpdateScheduleCommand).rejectsOnce(notFound()).resolves({ ScheduleArn: 'arn' });
    scheduler.on(CreateScheduleCommand).rejects(conflict());
    await timers().put('sla-7-first_reply_time', '2026-03-02T10:30:00Z', {
      ticket_id: 7,
      metric: 'first_reply_time',
    });
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(2);
  });

  it('passes on other failures', async () => {
    scheduler.on(UpdateScheduleCommand).rejects(new Error('throttled'));
    await expect(timers().put('sla-7-first_reply_time', '2026-03-02T10:30:00Z', {})).rejects.toThrow(
      'throttled',
    );
  });

  it('deletes by name in its group, and a timer already gone is fine', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(notFound());
    await timers().delete('sla-7-next_reply_time');
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: 'sla-7-next_reply_time', GroupName: 'relaydesk-timers' },
    ]);
  });

  it('passes on a delete that failed for another reason', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new Error('access denied'));
    await expect(timers().delete('sla-7-next_reply_time')).rejects.toThrow('access denied');
  });
});

describe('at() expressions', () => {
  it.each([
    ['a whole second', '2026-03-02T10:30:00Z', 'at(2026-03-02T10:30:00)'],
    [
      'a fraction of a second, rounded up so it never fires early',
      '2026-03-02T10:30:00.250Z',
      'at(2026-03-02T10:30:01)',
    ],
    ['an offset instant, in UTC', '2026-03-02T12:30:00+02:00', 'at(2026-03-02T10:30:00)'],
    ['an instant already past, a minute ahead', '2026-03-02T09:00:00Z', 'at(2026-03-02T10:01:00)'],
    ['the instant now, a minute ahead', '2026-03-02T10:00:00Z', 'at(2026-03-02T10:01:00)'],
  ])('%s', (_name, instant, expected) => {
    expect(atExpression(instant, NOW)).toBe(expected);
  });

  it('refuses what is not an instant', () => {
    expect(() => atExpression('tomorrow', NOW)).toThrow(RangeError);
  });
});
