import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { queueUrlOf, sqsVisibilityBackoff } from '../../shared/use-cases/webhooks/retry-backoff.ts';
import { sqsRecord } from '../support/sqs-event.ts';

describe('retry backoff through SQS', () => {
  it('derives the queue URL from the event source ARN', () => {
    expect(queueUrlOf('arn:aws:sqs:eu-west-1:123456789012:Relaydesk-Events-Queue')).toEqual({
      region: 'eu-west-1',
      url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/Relaydesk-Events-Queue',
    });
    expect(() => queueUrlOf('arn:aws:sns:eu-west-1:1:topic')).toThrow('Not an SQS queue ARN');
  });

  it('hides the message for the backoff delay instead of the queue visibility timeout', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const record = sqsRecord('{}', 'message-1');
    await sqsVisibilityBackoff(() => new SQSClient({ region: 'us-east-1' }))(record, 120);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input)).toEqual([
      {
        QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/queue',
        ReceiptHandle: 'message-1',
        VisibilityTimeout: 120,
      },
    ]);
    sqs.restore();
  });

  it('still lets the retry happen when the delay cannot be set', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(ChangeMessageVisibilityCommand).rejects(new Error('ReceiptHandleIsInvalid'));
    await expect(
      sqsVisibilityBackoff(() => new SQSClient({ region: 'us-east-1' }))(sqsRecord('{}'), 60),
    ).resolves.toBeUndefined();
    sqs.restore();
  });
});
