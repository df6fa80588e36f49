/** Queue consumer: SES bounce and complaint notifications (via SNS). Reports partial batch failures. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { sesFeedbackNotification, snsEnvelope } from '../../shared/mail/ses-notification.ts';
import { logger } from '../../shared/observability/logger.ts';
import { recordMailFeedback } from '../../shared/use-cases/mail/record-mail-feedback.ts';

export const createRecordMailFeedbackHandler = ({ now = nowTimestamp }: { now?: () => string } = {}) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const envelope = snsEnvelope.parse(JSON.parse(record.body));
    const notification = sesFeedbackNotification.parse(JSON.parse(envelope.Message));
    const outcome = await recordMailFeedback(notification, now());
    logger.info('Mail feedback', {
      type: notification.notificationType,
      sesMessageId: notification.mail.messageId,
      outcome,
    });
  };
  return async (event: SQSEvent, context: Context) =>
    processPartialResponse(event, recordHandler, processor, { context });
};

export const handler = createRecordMailFeedbackHandler();
