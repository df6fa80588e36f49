/** Queue consumer: runs the trigger cycle after every ticket create and update. Reports partial batch failures. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { eventBridgeEnvelope, ticketEventSchemas } from '../../shared/events/ticket-events.ts';
import { applyTriggers } from '../../shared/use-cases/rules/apply-triggers.ts';

const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const envelope = eventBridgeEnvelope.parse(JSON.parse(record.body));
  const detailType = envelope['detail-type'];
  if (detailType !== 'ticket.created' && detailType !== 'ticket.updated')
    throw new Error(`Unexpected event type ${detailType}`);
  const detail = ticketEventSchemas[detailType].parse(envelope.detail);
  await applyTriggers({ ticketId: detail.ticket_id, auditId: detail.audit_id, now: nowTimestamp });
};

export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, recordHandler, processor, { context });
