/** Queue consumer: mails the notifications rules recorded on their audits. Reports partial batch failures. */

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { nowMs } from '../../shared/domain/clock.ts';
import { eventBridgeEnvelope, notificationRequestedDetail } from '../../shared/events/ticket-events.ts';
import { getMailSecret } from '../../shared/mail/mail-secret.ts';
import { type MailSender, SesMailSender } from '../../shared/mail/mail-sender.ts';
import { logger } from '../../shared/observability/logger.ts';
import { sendNotificationMail } from '../../shared/use-cases/mail/send-notification-mail.ts';

export const createSendNotificationMailHandler = ({
  sender,
  now = () => new Date(nowMs()),
}: {
  sender: MailSender;
  now?: () => Date;
}) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const envelope = eventBridgeEnvelope.parse(JSON.parse(record.body));
    if (envelope['detail-type'] !== 'notification.requested') {
      throw new Error(`Unexpected event type ${envelope['detail-type']}`);
    }
    const detail = notificationRequestedDetail.parse(envelope.detail);
    const event = { ticketId: detail.ticket_id, auditId: detail.audit_id, eventId: detail.event_id };
    const outcome = await sendNotificationMail(event, { sender, mailSecret: getMailSecret, now });
    logger.info('Notification mail', { ...event, outcome });
  };
  return async (event: SQSEvent, context: Context) =>
    processPartialResponse(event, recordHandler, processor, { context });
};

export const handler = createSendNotificationMailHandler({ sender: new SesMailSender() });
