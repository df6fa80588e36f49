/**
 * Periodic work (purges, time-based automations) started by an EventBridge schedule rule. The rule
 * invokes the function asynchronously, so failures after Lambda's own retries would vanish; they go to
 * an alarmed dead-letter queue instead. Jobs re-read current state, so a missed or repeated run is safe.
 */
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule as RuleSchedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { Schedule } from '../topology.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { type FunctionResources, RelaydeskFunction } from './relaydesk-function.ts';

export interface ScheduledJobProps {
  schedule: Schedule;
  resources: FunctionResources;
  opsTopic: ITopic;
}

export class ScheduledJob extends Construct {
  readonly rule: Rule;
  readonly function: RelaydeskFunction;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const { schedule } = props;

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetter', {
      purpose: `the ${schedule.name} scheduled job`,
      opsTopic: props.opsTopic,
    });
    this.function = new RelaydeskFunction(this, 'Function', {
      spec: schedule,
      resources: props.resources,
      defaultTimeout: Duration.minutes(1),
    });
    // Failed runs (after Lambda's async retries) land in the DLQ with their error.
    this.function.configureAsyncInvoke({
      onFailure: new SqsDestination(this.deadLetterQueue.queue),
      retryAttempts: 2,
    });

    this.rule = new Rule(this, 'Rule', {
      description: `Runs the ${schedule.name} job`,
      schedule: RuleSchedule.expression(schedule.expression),
      // Invocations EventBridge itself could not deliver go to the same DLQ.
      targets: [
        new LambdaFunction(this.function, {
          deadLetterQueue: this.deadLetterQueue.queue,
          retryAttempts: 2,
        }),
      ],
    });
  }
}
