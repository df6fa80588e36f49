/** Queue consumer: each ticket change moves its requester's (and an end-user author's) last NPS interaction. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  eventBridgeEnvelope,
  ticketCreatedDetail,
  ticketUpdatedDetail,
} from '../../shared/events/ticket-events.ts';
import { recordNpsInteraction } from '../../shared/use-cases/nps/record-nps-interaction.ts';

const processor = new BatchProcessor(EventType.SQS);

const schemas = { 'ticket.created': ticketCreatedDetail, 'ticket.updated': ticketUpdatedDetail } as const;

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const envelope = eventBridgeEnvelope.parse(JSON.parse(record.body));
  const schema = schemas[envelope['detail-type'] as keyof typeof schemas];
  if (!schema) throw new Error(`Unexpected event type ${envelope['detail-type']}`);
  const detail = schema.parse(envelope.detail);
  await recordNpsInteraction({
    ticketId: detail.ticket_id,
    authorId: detail.author_id,
    at: detail.created_at,
  });
};

export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, recordHandler, processor, { context });
