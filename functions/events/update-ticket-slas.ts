/** Queue consumer: keeps each ticket's SLA clocks, metric events and breach timers current. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { eventBridgeEnvelope, ticketEventSchemas } from '../../shared/events/ticket-events.ts';
import { refreshTicketSlas } from '../../shared/use-cases/sla/refresh-ticket-slas.ts';
import { timerPortFromEnvironment } from '../../shared/use-cases/sla/timer-port.ts';

const processor = new BatchProcessor(EventType.SQS);
const dependencies = { timers: timerPortFromEnvironment(), now: nowTimestamp };

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const envelope = eventBridgeEnvelope.parse(JSON.parse(record.body));
  const schema = ticketEventSchemas[envelope['detail-type'] as 'ticket.created' | 'ticket.updated'];
  if (!schema) throw new Error(`Unexpected event type ${envelope['detail-type']}`);
  const detail = schema.parse(envelope.detail);
  await refreshTicketSlas(detail.ticket_id, dependencies);
};

export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, recordHandler, processor, { context });
