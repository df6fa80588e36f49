/**
 * Queue consumer: keeps ticket_metrics current as tickets change, and counts escalations (group
 * transfers) for CloudWatch. Reports partial batch failures.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { eventBridgeEnvelope, ticketEventSchemas } from '../../shared/events/ticket-events.ts';
import { countEscalation } from '../../shared/use-cases/tickets/count-escalation.ts';
import { refreshTicketMetrics } from '../../shared/use-cases/tickets/refresh-ticket-metrics.ts';

const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const envelope = eventBridgeEnvelope.parse(JSON.parse(record.body));
  const schema = ticketEventSchemas[envelope['detail-type'] as 'ticket.created' | 'ticket.updated'];
  if (!schema) throw new Error(`Unexpected event type ${envelope['detail-type']}`);
  const detail = schema.parse(envelope.detail);
  await refreshTicketMetrics(detail.ticket_id);
  // Last, so a failed refresh retries before anything is counted (a redelivery still may count twice).
  await countEscalation(detail.changes);
};

export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, recordHandler, processor, { context });
