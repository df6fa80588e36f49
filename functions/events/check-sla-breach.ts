/** Queue consumer: an SLA timer fired; report the ticket's new breaches, if its clocks say so. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { SLA_METRICS } from '../../shared/domain/sla/sla-timers.ts';
import { logger } from '../../shared/observability/logger.ts';
import { checkSlaBreach } from '../../shared/use-cases/sla/check-breach.ts';
import { timerPortFromEnvironment } from '../../shared/use-cases/sla/timer-port.ts';

/** The SlaTimerFired contract (shared/domain/sla/sla-timers.ts), as Scheduler delivers it. */
const slaTimerFired = z.object({
  ticket_id: z.number().int().positive(),
  metric: z.enum(SLA_METRICS),
  breach_at: z.iso.datetime({ offset: true }),
});

const processor = new BatchProcessor(EventType.SQS);
const dependencies = { timers: timerPortFromEnvironment(), now: nowTimestamp };

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const fired = slaTimerFired.parse(JSON.parse(record.body));
  const outcome = await checkSlaBreach(fired, dependencies);
  logger.info('SLA timer checked', { ...fired, ...outcome });
};

export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, recordHandler, processor, { context });
