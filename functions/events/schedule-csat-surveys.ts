/** Queue consumer: a solve puts its CSAT survey timer, a reopen cancels it. Reports partial batch failures. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { csatSettingsFrom } from '../../shared/domain/csat/survey-schedule.ts';
import { eventBridgeEnvelope, ticketEventSchemas } from '../../shared/events/ticket-events.ts';
import { logger } from '../../shared/observability/logger.ts';
import { type OneTimeTimers, oneTimeTimersFromEnvironment } from '../../shared/runtime/one-time-timers.ts';
import { scheduleCsatSurvey } from '../../shared/use-cases/csat/schedule-csat-survey.ts';

/** CSAT timers fire onto the survey queue (CSAT_TIMER_TARGET_ARN), not the SLA timers queue. */
const csatTimers = (): OneTimeTimers =>
  oneTimeTimersFromEnvironment({ ...process.env, TIMER_TARGET_ARN: process.env.CSAT_TIMER_TARGET_ARN });

export const createScheduleCsatSurveysHandler = (timers: () => OneTimeTimers) => {
  const processor = new BatchProcessor(EventType.SQS);
  let built: OneTimeTimers | undefined;
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const envelope = eventBridgeEnvelope.parse(JSON.parse(record.body));
    const detailType = envelope['detail-type'];
    if (detailType !== 'ticket.created' && detailType !== 'ticket.updated')
      throw new Error(`Unexpected event type ${detailType}`);
    const detail = ticketEventSchemas[detailType].parse(envelope.detail);
    built ??= timers();
    const event = { ticketId: detail.ticket_id, auditId: detail.audit_id };
    const outcome = await scheduleCsatSurvey(event, {
      timers: built,
      settings: csatSettingsFrom(process.env),
    });
    if (outcome !== 'unchanged') logger.info('CSAT survey timer', { ...event, outcome });
  };
  return async (event: SQSEvent, context: Context) =>
    processPartialResponse(event, recordHandler, processor, { context });
};

export const handler = createScheduleCsatSurveysHandler(csatTimers);
