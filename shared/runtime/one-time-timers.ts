/**
 * One-time timers: "at this instant, put this payload on the timer queue", kept by name so a timer is
 * found, moved and cancelled without storing anything ourselves. SLA breach timers use it; survey
 * delays will. In AWS each timer is an EventBridge Scheduler one-time schedule in the application's
 * schedule group, deleted by Scheduler once it has fired; the local runtime answers the same API
 * calls with its emulator (infra/local/scheduler-local.ts), reached through AWS_ENDPOINT_URL_SCHEDULER.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { nowMs } from '../domain/clock.ts';

export interface OneTimeTimers {
  /** Creates the timer, or moves the one of that name to `atIso` with this payload. */
  put(name: string, atIso: string, payload: unknown): Promise<void>;
  /** Cancels the timer; one that already fired or never existed is fine. */
  delete(name: string): Promise<void>;
}

export interface SchedulerTimersConfig {
  /** The schedule group holding every timer (the functions' IAM policy is scoped to it). */
  groupName: string;
  /** Where a fired timer's payload goes: the timer queue's ARN. */
  targetArn: string;
  /** The role Scheduler assumes to send to the target (it may only sqs:SendMessage there). */
  roleArn: string;
}

const SECOND_MS = 1000;
/** Scheduler fires within the minute after the instant; one already past is asked for a minute on. */
const PAST_INSTANT_MARGIN_MS = 60_000;

/**
 * `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded up to the second so a timer never fires before its
 * instant. An instant not in the future is moved a minute ahead: a one-time schedule is for a time
 * to come, and the consumer re-checks state anyway.
 */
export const atExpression = (atIso: string, nowEpochMs: number): string => {
  const requested = Math.ceil(Date.parse(atIso) / SECOND_MS) * SECOND_MS;
  if (Number.isNaN(requested)) throw new RangeError(`Not an ISO 8601 instant: ${atIso}`);
  const at =
    requested > nowEpochMs
      ? requested
      : Math.ceil(nowEpochMs / SECOND_MS) * SECOND_MS + PAST_INSTANT_MARGIN_MS;
  return `at(${new Date(at).toISOString().slice(0, 19)})`;
};

export class SchedulerOneTimeTimers implements OneTimeTimers {
  constructor(
    private readonly config: SchedulerTimersConfig,
    private readonly client = new SchedulerClient({}),
    private readonly now: () => number = nowMs,
  ) {}

  /** Update first: most calls move a timer that exists (every ticket change re-syncs its clocks). */
  async put(name: string, atIso: string, payload: unknown): Promise<void> {
    const schedule = this.schedule(name, atIso, payload);
    try {
      await this.client.send(new UpdateScheduleCommand(schedule));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    try {
      await this.client.send(new CreateScheduleCommand(schedule));
    } catch (error) {
      // Created by a concurrent put between our update and create: ours is the newer wish.
      if (!(error instanceof ConflictException)) throw error;
      await this.client.send(new UpdateScheduleCommand(schedule));
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.config.groupName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }

  private schedule(name: string, atIso: string, payload: unknown): CreateScheduleCommandInput {
    return {
      Name: name,
      GroupName: this.config.groupName,
      ScheduleExpression: atExpression(atIso, this.now()),
      ScheduleExpressionTimezone: 'UTC',
      // A breach is checked on time or not at all: no flexible window.
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: this.config.targetArn, RoleArn: this.config.roleArn, Input: JSON.stringify(payload) },
    };
  }
}

/** The timers of a function given TIMER_SCHEDULE_GROUP, TIMER_TARGET_ARN and TIMER_ROLE_ARN. */
export const oneTimeTimersFromEnvironment = (env: NodeJS.ProcessEnv = process.env): OneTimeTimers => {
  const { TIMER_SCHEDULE_GROUP, TIMER_TARGET_ARN, TIMER_ROLE_ARN } = env;
  if (!TIMER_SCHEDULE_GROUP || !TIMER_TARGET_ARN || !TIMER_ROLE_ARN) {
    throw new Error('One-time timers need TIMER_SCHEDULE_GROUP, TIMER_TARGET_ARN and TIMER_ROLE_ARN');
  }
  return new SchedulerOneTimeTimers({
    groupName: TIMER_SCHEDULE_GROUP,
    targetArn: TIMER_TARGET_ARN,
    roleArn: TIMER_ROLE_ARN,
  });
};
