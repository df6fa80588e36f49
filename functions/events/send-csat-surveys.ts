/**
 * Queue consumer of fired CSAT timers: re-checks the ticket and mails the survey. SES throttling is
 * retried, never dropped: the record is reported failed after a growing delay is set on the message
 * (the webhooks consumer's backoff), and the queue's concurrency cap keeps us under the sending rate.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { nowMs } from '../../shared/domain/clock.ts';
import { csatSettingsFrom } from '../../shared/domain/csat/survey-schedule.ts';
import { getMailSecret } from '../../shared/mail/mail-secret.ts';
import { type MailSender, SesMailSender } from '../../shared/mail/mail-sender.ts';
import { logger } from '../../shared/observability/logger.ts';
import { sendCsatSurvey } from '../../shared/use-cases/csat/send-csat-survey.ts';
import {
  type RetryBackoff,
  retryBackoffForEnvironment,
} from '../../shared/use-cases/webhooks/retry-backoff.ts';

/** The CsatSurveyDue contract (shared/domain/csat/survey-schedule.ts), as Scheduler delivers it. */
const csatSurveyDue = z.object({
  type: z.literal('csat.survey_due'),
  ticket_id: z.number().int().positive(),
  solve_audit_id: z.number().int().positive(),
});

const THROTTLING_ERRORS = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);
const MAX_BACKOFF_SECONDS = 900;

/** SES's "Maximum sending rate exceeded" arrives as Throttling; other failures retry on the queue's terms. */
export const isThrottling = (error: unknown): boolean =>
  error instanceof Error && THROTTLING_ERRORS.has(error.name);

export const createSendCsatSurveysHandler = ({
  sender,
  backoff,
  now = () => new Date(nowMs()),
}: {
  sender: MailSender;
  backoff: RetryBackoff;
  now?: () => Date;
}) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const due = csatSurveyDue.parse(JSON.parse(record.body));
    const event = { ticketId: due.ticket_id, solveAuditId: due.solve_audit_id };
    try {
      const outcome = await sendCsatSurvey(event, {
        sender,
        mailSecret: getMailSecret,
        now,
        settings: csatSettingsFrom(process.env),
      });
      logger.info('CSAT survey', { ...event, outcome });
    } catch (error) {
      if (isThrottling(error)) {
        const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
        await backoff(record, Math.min(MAX_BACKOFF_SECONDS, 2 ** attempt * 15));
        logger.warn('CSAT survey throttled by SES; retrying later', { ...event, attempt });
      }
      throw error;
    }
  };
  return async (event: SQSEvent, context: Context) =>
    processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
};

export const handler = createSendCsatSurveysHandler({
  sender: new SesMailSender(),
  backoff: retryBackoffForEnvironment(),
});
