/**
 * One-time timers (shared/runtime/one-time-timers.ts): the schedule group holding every timer, one
 * queue per kind of timer that schedules fire onto (+ alarmed dead-letter queue) with the consumer
 * that drains it, and the one role Scheduler assumes to deliver them (sqs:SendMessage on exactly those
 * queues). Each kind has its own queue so its consumer keeps its own retries and concurrency cap: SLA
 * breach checks must not wait behind survey mail throttled by SES.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TimerConsumer } from '../topology.ts';
import { constructId } from './construct-id.ts';
import { consumeQueue, createConsumerQueue } from './consumer-queue.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import { type FunctionResources, RelaydeskFunction, type TimerResources } from './relaydesk-function.ts';

export interface TimerTarget {
  consumer: TimerConsumer;
  /** What these timers are, for the dead-letter alarm (`SLA breach timers`). */
  purpose: string;
  /** The variable that names this queue to the functions that keep timers (`TIMER_TARGET_ARN`). */
  targetArnVariable: string;
}

/** A timer queue with its consumer function. */
export interface TimerQueue {
  queue: Queue;
  deadLetterQueue: DeadLetterQueue;
  function: RelaydeskFunction;
}

export interface OneTimeTimersProps {
  targets: readonly TimerTarget[];
  /** What every function gets; the functions that keep timers get the timers too. */
  resources: FunctionResources;
  opsTopic: ITopic;
}

export class OneTimeTimers extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  readonly schedulerRole: Role;
  /** By consumer name. */
  readonly queues: ReadonlyMap<string, TimerQueue>;
  /** For every function that keeps timers (FunctionSpec `timers`). */
  readonly timers: TimerResources;

  constructor(scope: Construct, id: string, props: OneTimeTimersProps) {
    super(scope, id);
    // Schedules only live until they fire or are cancelled: nothing to keep on stack deletion.
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', { removalPolicy: RemovalPolicy.DESTROY });

    // Queues first: the role and every timer-keeping function (the consumers included) name them all.
    const targets = props.targets.map((target) => {
      const scope = new Construct(this, constructId(target.consumer.name));
      const queue = createConsumerQueue(
        scope,
        target.consumer,
        props.opsTopic,
        `the ${target.consumer.name} consumer (${target.purpose})`,
      );
      return { target, scope, ...queue };
    });

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to deliver one-time timers to their queues',
      // Only schedules of this account may use it (confused-deputy guard).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    // Not queue.grantSendMessages: that adds GetQueueAttributes and GetQueueUrl, which Scheduler never calls.
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: targets.map(({ queue }) => queue.queueArn),
      }),
    );

    this.timers = {
      scheduleGroupName: this.scheduleGroup.scheduleGroupName,
      targetQueueArns: Object.fromEntries(
        targets.map(({ target, queue }) => [target.targetArnVariable, queue.queueArn]),
      ),
      schedulerRole: this.schedulerRole,
    };
    const resources = { ...props.resources, timers: this.timers };
    this.queues = new Map(
      targets.map(({ target, scope, queue, deadLetterQueue }) => {
        const fn = new RelaydeskFunction(scope, 'Function', { spec: target.consumer, resources });
        consumeQueue(scope, fn, queue, target.consumer);
        return [target.consumer.name, { queue, deadLetterQueue, function: fn }];
      }),
    );
  }
}
