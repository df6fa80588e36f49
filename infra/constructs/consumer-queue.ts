/**
 * The queue in front of every consumer function, whether a bus rule or an SNS topic feeds it: the
 * declared visibility timeout, an alarmed dead-letter queue after `maxReceiveCount` deliveries, and an
 * SQS event source that reports partial batch failures. Bus and notification consumers share it so
 * their retry semantics cannot drift apart.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { NotificationConsumer } from '../topology.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { RelaydeskFunction } from './relaydesk-function.ts';

/** Both topology consumer kinds carry these fields; a bus consumer adds only its pattern. */
export type QueueConsumer = NotificationConsumer;

/** Creates `DeadLetter` and `Queue` directly under `scope`, so callers keep stable logical ids. */
export const createConsumerQueue = (
  scope: Construct,
  consumer: QueueConsumer,
  opsTopic: ITopic,
  purpose: string,
): { queue: Queue; deadLetterQueue: DeadLetterQueue } => {
  const deadLetterQueue = new DeadLetterQueue(scope, 'DeadLetter', { purpose, opsTopic });
  const queue = new Queue(scope, 'Queue', {
    visibilityTimeout: Duration.seconds(consumer.visibilityTimeoutSeconds),
    deadLetterQueue: { queue: deadLetterQueue.queue, maxReceiveCount: consumer.maxReceiveCount },
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  return { queue, deadLetterQueue };
};

/** Feeds the queue to the function in the declared batches, reporting partial batch failures. */
export const consumeQueue = (
  scope: Construct,
  fn: RelaydeskFunction,
  queue: Queue,
  consumer: QueueConsumer,
): void => {
  // A message whose visibility timeout ends mid-invocation is delivered twice and burns retries;
  // AWS's guidance for SQS event sources is six times the function timeout.
  const functionTimeout = fn.timeout?.toSeconds() ?? 3;
  scope.node.addValidation({
    validate: () =>
      consumer.visibilityTimeoutSeconds >= 6 * functionTimeout
        ? []
        : [
            `consumer ${consumer.name}: visibilityTimeoutSeconds (${consumer.visibilityTimeoutSeconds}) must be at least six times the function timeout (${functionTimeout} s)`,
          ],
  });
  fn.addEventSource(
    new SqsEventSource(queue, {
      batchSize: consumer.batchSize,
      ...(consumer.maxConcurrency ? { maxConcurrency: consumer.maxConcurrency } : {}),
      // One poison message must not send its whole batch back for redelivery.
      reportBatchItemFailures: true,
    }),
  );
};
