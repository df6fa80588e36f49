/**
 * How a webhook call waits before its next attempt. The message goes back to its queue either way
 * (the consumer reports it failed); this decides when it is seen again.
 *
 * In Lambda, the SQS event source leaves the message invisible for the queue's visibility timeout;
 * ChangeMessageVisibility replaces that with the backoff delay (the event source's consume grant
 * already allows it). The local event fabric has no SQS API, so there the queue's own visibility
 * timeout is the delay: a fixed interval instead of a growing one, same attempt limit.
 */
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { logger } from '../../observability/logger.ts';

export type RetryBackoff = (record: SQSRecord, delaySeconds: number) => Promise<void>;

/** `arn:aws:sqs:<region>:<account>:<name>` → the queue URL the SQS API takes. */
export const queueUrlOf = (eventSourceArn: string): { region: string; url: string } => {
  const [, , service, region, account, name] = eventSourceArn.split(':');
  if (service !== 'sqs' || !region || !account || !name)
    throw new Error(`Not an SQS queue ARN: ${eventSourceArn}`);
  return { region, url: `https://sqs.${region}.amazonaws.com/${account}/${name}` };
};

export const sqsVisibilityBackoff =
  (clientFor: (region: string) => SQSClient): RetryBackoff =>
  async (record, delaySeconds) => {
    const { region, url } = queueUrlOf(record.eventSourceARN);
    try {
      await clientFor(region).send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: delaySeconds,
        }),
      );
    } catch (error) {
      // The retry still happens, after the queue's visibility timeout instead of the backoff delay.
      logger.warn('Could not delay the webhook retry', {
        error: error as Error,
        messageId: record.messageId,
      });
    }
  };

/** The queue's visibility timeout is the delay: nothing to change. */
export const queueVisibilityTimeoutBackoff: RetryBackoff = async () => {};

/** Lambda sets AWS_LAMBDA_FUNCTION_NAME; the local runtime runs handlers in-process without it. */
export const retryBackoffForEnvironment = (): RetryBackoff => {
  if (!process.env.AWS_LAMBDA_FUNCTION_NAME) return queueVisibilityTimeoutBackoff;
  const clients = new Map<string, SQSClient>();
  return sqsVisibilityBackoff((region) => {
    let client = clients.get(region);
    if (!client) {
      client = new SQSClient({ region });
      clients.set(region, client);
    }
    return client;
  });
};
