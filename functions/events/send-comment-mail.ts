/** Queue consumer: mails public comments to the requester and CCs. Reports partial batch failures. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { commentAddedDetail, eventBridgeEnvelope } from '../../shared/events/ticket-events.ts';
import { getMailSecret } from '../../shared/mail/mail-secret.ts';
import { type MailSender, SesMailSender } from '../../shared/mail/mail-sender.ts';
import { logger } from '../../shared/observability/logger.ts';
import { sendCommentMail } from '../../shared/use-cases/mail/send-comment-mail.ts';

export const createSendCommentMailHandler = ({
  sender,
  now = () => new Date(),
}: {
  sender: MailSender;
  now?: () => Date;
}) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const envelope = eventBridgeEnvelope.parse(JSON.parse(record.body));
    if (envelope['detail-type'] !== 'comment.added') {
      throw new Error(`Unexpected event type ${envelope['detail-type']}`);
    }
    const detail = commentAddedDetail.parse(envelope.detail);
    const outcome = await sendCommentMail(
      { ticketId: detail.ticket_id, commentId: detail.comment_id },
      { sender, mailSecret: getMailSecret, now },
    );
    logger.info('Comment mail', { ticketId: detail.ticket_id, commentId: detail.comment_id, outcome });
  };
  return async (event: SQSEvent, context: Context) =>
    processPartialResponse(event, recordHandler, processor, { context });
};

export const handler = createSendCommentMailHandler({ sender: new SesMailSender() });
