/** SQS records as Lambda hands them to a queue consumer, for calling consumer handlers directly. */
import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';

export const sqsRecord = (body: string, id: string = randomUUID()): SQSRecord =>
  ({
    messageId: id,
    receiptHandle: id,
    body,
    attributes: { ApproximateReceiveCount: '1' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:queue',
    awsRegion: 'us-east-1',
  }) as SQSRecord;

/** A ticket event as EventBridge delivers it to a consumer's queue. */
export const ticketEventRecord = (
  detailType: string,
  detail: Record<string, unknown>,
  options: { id?: string; time?: string } = {},
): SQSRecord => {
  const id = options.id ?? randomUUID();
  return sqsRecord(
    JSON.stringify({
      id,
      source: 'relaydesk.tickets',
      'detail-type': detailType,
      time: options.time ?? new Date().toISOString(),
      detail,
    }),
    id,
  );
};
