/**
 * A consumer fed by an SNS topic instead of a bus rule (SES receipt and feedback notifications): topic →
 * its own queue (+ alarmed dead-letter queue) → its function, with the same retry semantics as a bus
 * consumer. Raw message delivery stays off: the functions parse the SNS envelope (shared/mail/ses-notification.ts).
 */
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { NotificationConsumer as NotificationConsumerSpec } from '../topology.ts';
import { consumeQueue, createConsumerQueue } from './consumer-queue.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import { type FunctionResources, RelaydeskFunction } from './relaydesk-function.ts';

export interface NotificationConsumerProps {
  consumer: NotificationConsumerSpec;
  topic: ITopic;
  resources: FunctionResources;
  opsTopic: ITopic;
}

export class NotificationConsumer extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly function: RelaydeskFunction;

  constructor(scope: Construct, id: string, props: NotificationConsumerProps) {
    super(scope, id);
    const { consumer } = props;
    const { queue, deadLetterQueue } = createConsumerQueue(
      this,
      consumer,
      props.opsTopic,
      `the ${consumer.name} consumer`,
    );
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    props.topic.addSubscription(new SqsSubscription(this.queue, { rawMessageDelivery: false }));
    this.function = new RelaydeskFunction(this, 'Function', { spec: consumer, resources: props.resources });
    consumeQueue(this, this.function, this.queue, consumer);
  }
}
