/**
 * One consumer of domain events: bus rule → its own queue (+ dead-letter queue) → its function. Each
 * consumer owns its queue so a slow or failing consumer never delays another, and the queue gives
 * retries, back-pressure and a DLQ that a direct rule → Lambda target would not.
 */
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Consumer } from '../topology.ts';
import { consumeQueue, createConsumerQueue } from './consumer-queue.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import { type FunctionResources, RelaydeskFunction } from './relaydesk-function.ts';

export interface EventConsumerProps {
  consumer: Consumer;
  bus: IEventBus;
  resources: FunctionResources;
  opsTopic: ITopic;
}

export class EventConsumer extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly rule: Rule;
  readonly function: RelaydeskFunction;

  constructor(scope: Construct, id: string, props: EventConsumerProps) {
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

    this.rule = new Rule(this, 'Rule', {
      eventBus: props.bus,
      description: `Routes ${consumer.pattern['detail-type'].join(', ')} to the ${consumer.name} consumer`,
      // The topology's pattern is already EventBridge's JSON shape; copy it so CDK's mutable type is met.
      eventPattern: {
        source: [...consumer.pattern.source],
        detailType: [...consumer.pattern['detail-type']],
        ...(consumer.pattern.detail ? { detail: { ...consumer.pattern.detail } } : {}),
      },
      targets: [new SqsQueue(this.queue)],
    });

    this.function = new RelaydeskFunction(this, 'Function', { spec: consumer, resources: props.resources });
    consumeQueue(this, this.function, this.queue, consumer);
  }
}
