/**
 * One consumer of domain events: bus rule → its own queue (+ dead-letter queue) → its function. Each
 * consumer owns its queue so a slow or failing consumer never delays another, and the queue gives
 * retries, back-pressure and a DLQ that a direct rule → Lambda target would not.
 */
import { Duration } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Consumer } from '../topology.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { RelaydeskFunction, type TableRegistry } from './relaydesk-function.ts';

export interface EventConsumerProps {
  consumer: Consumer;
  bus: IEventBus;
  tables: TableRegistry;
  opsTopic: ITopic;
  publicUrl?: string | undefined;
}

export class EventConsumer extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly rule: Rule;
  readonly function: RelaydeskFunction;

  constructor(scope: Construct, id: string, props: EventConsumerProps) {
    super(scope, id);
    const { consumer } = props;

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetter', {
      purpose: `the ${consumer.name} consumer`,
      opsTopic: props.opsTopic,
    });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(consumer.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue.queue, maxReceiveCount: consumer.maxReceiveCount },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

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

    this.function = new RelaydeskFunction(this, 'Function', {
      spec: consumer,
      tables: props.tables,
      publicUrl: props.publicUrl,
    });
    // A message whose visibility timeout ends mid-invocation is delivered twice and burns retries;
    // AWS's guidance for SQS event sources is six times the function timeout.
    const functionTimeout = this.function.timeout?.toSeconds() ?? 3;
    this.node.addValidation({
      validate: () =>
        consumer.visibilityTimeoutSeconds >= 6 * functionTimeout
          ? []
          : [
              `consumer ${consumer.name}: visibilityTimeoutSeconds (${consumer.visibilityTimeoutSeconds}) must be at least six times the function timeout (${functionTimeout} s)`,
            ],
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: consumer.batchSize,
        // One poison message must not send its whole batch back for redelivery.
        reportBatchItemFailures: true,
      }),
    );
  }
}
