/**
 * The outbox publisher: tickets-table stream records → ticket events on the bus. Only new audit items
 * produce events. Records are published in stream order; on a failure the batch reports that record
 * (and so everything after it) for retry, so nothing committed is skipped.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Audit } from '../../shared/domain/tickets/ticket.ts';
import type { EventBus } from '../../shared/events/event-bus.ts';
import { EventBridgeEventBus } from '../../shared/events/eventbridge-event-bus.ts';
import { ticketEventsFromAudit } from '../../shared/events/ticket-events-from-audit.ts';
import { logger } from '../../shared/observability/logger.ts';

const auditOf = (record: DynamoDBRecord): Audit | undefined => {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  return typeof item.sk === 'string' && item.sk.startsWith('AUDIT#') ? (item as Audit) : undefined;
};

export const createPublishTicketEventsHandler =
  ({ bus }: { bus: EventBus }) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const audit = auditOf(record);
      if (!audit) continue;
      try {
        await bus.publish(ticketEventsFromAudit(audit));
      } catch (error) {
        logger.error('Publishing ticket events failed; the stream will retry', { error: error as Error });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };

export const handler = createPublishTicketEventsHandler({
  bus: new EventBridgeEventBus(process.env.EVENT_BUS_NAME ?? 'relaydesk'),
});
