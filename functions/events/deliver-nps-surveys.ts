/**
 * Frequent job: mails the NPS surveys the daily selection queued, a few at a time, backing off when SES
 * throttles (shared/use-cases/nps/deliver-nps-surveys.ts). Runs never overlap a survey: each is leased.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { nowMs } from '../../shared/domain/clock.ts';
import { getMailSecret } from '../../shared/mail/mail-secret.ts';
import { type MailSender, SesMailSender } from '../../shared/mail/mail-sender.ts';
import { logger } from '../../shared/observability/logger.ts';
import { deliverNpsSurveys } from '../../shared/use-cases/nps/deliver-nps-surveys.ts';

/** Leave this much of the invocation for the sends in flight to finish. */
const SAFETY_MARGIN_MS = 30_000;

export const createDeliverNpsSurveysHandler =
  ({ sender }: { sender: MailSender }) =>
  async (_event: ScheduledEvent, context: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const outcome = await deliverNpsSurveys({
      sender,
      mailSecret: getMailSecret,
      now: () => new Date(nowMs()),
      outOfTime: () => context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS,
    });
    logger.info('NPS surveys delivered', { ...outcome });
    return outcome;
  };

export const handler = createDeliverNpsSurveysHandler({ sender: new SesMailSender() });
