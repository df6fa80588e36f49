/**
 * SLA breach timers: the schedule group that holds one one-time schedule per running SLA clock, the
 * queue those schedules send to (+ alarmed dead-letter queue), the role Scheduler assumes to send
 * there (sqs:SendMessage on that queue and nothing else), and the check-sla-breach consumer.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TimerConsumer } from '../topology.ts';
import { consumeQueue, createConsumerQueue } from './consumer-queue.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import { type FunctionResources, RelaydeskFunction, type TimerResources } from './relaydesk-function.ts';

export interface SlaTimersProps {
  consumer: TimerConsumer;
  /** What every function gets; the consumer's own gets the timers too. */
  resources: FunctionResources;
  opsTopic: ITopic;
}

export class SlaTimers extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  readonly queue: Queue;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly schedulerRole: Role;
  readonly function: RelaydeskFunction;
  /** For every function that keeps SLA timers (FunctionSpec `timers`). */
  readonly timers: TimerResources;

  constructor(scope: Construct, id: string, props: SlaTimersProps) {
    super(scope, id);
    const { consumer } = props;
    // Schedules only live until they fire or their clock stops: nothing to keep on stack deletion.
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', { removalPolicy: RemovalPolicy.DESTROY });
    const { queue, deadLetterQueue } = createConsumerQueue(
      this,
      consumer,
      props.opsTopic,
      `the ${consumer.name} consumer (SLA breach timers)`,
    );
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to deliver SLA breach timers to their queue',
      // Only schedules of this account may use it (confused-deputy guard).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    // Not queue.grantSendMessages: that adds GetQueueAttributes and GetQueueUrl, which Scheduler never calls.
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    );

    this.timers = {
      scheduleGroupName: this.scheduleGroup.scheduleGroupName,
      targetQueueArn: queue.queueArn,
      schedulerRole: this.schedulerRole,
    };
    this.function = new RelaydeskFunction(this, 'Function', {
      spec: consumer,
      resources: { ...props.resources, timers: this.timers },
    });
    consumeQueue(this, this.function, queue, consumer);
  }
}
