/**
 * Inbound mail consumer: SNS envelope → SES receipt notification → raw mail from the blob store → the
 * use case. Bad mail never throws (it is suspended or rejected and logged); only infrastructure errors
 * do, so those records are retried and end in the DLQ. Reports partial batch failures.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { senderVerdicts } from '../../shared/mail/inbound/sender-verdicts.ts';
import { getMailSecret } from '../../shared/mail/mail-secret.ts';
import { sesReceiptNotification, snsEnvelope } from '../../shared/mail/ses-notification.ts';
import { logger } from '../../shared/observability/logger.ts';
import { blobStore } from '../../shared/runtime/blob-store.ts';
import { receiveInboundMail } from '../../shared/use-cases/mail/receive-inbound-mail.ts';

const processor = new BatchProcessor(EventType.SQS);

const parseNotification = (body: string) => {
  try {
    const envelope = snsEnvelope.safeParse(JSON.parse(body));
    if (!envelope.success) return undefined;
    const notification = sesReceiptNotification.safeParse(JSON.parse(envelope.data.Message));
    return notification.success ? notification.data : undefined;
  } catch {
    return undefined;
  }
};

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const notification = parseNotification(record.body);
  if (!notification) {
    // Not an SES receipt: retrying cannot make it one.
    logger.warn('Rejected inbound queue message that is not an SES receipt', { messageId: record.messageId });
    return;
  }
  const key = notification.receipt.action.objectKey;
  const raw = await blobStore().get(key);
  if (!raw) throw new Error(`Raw mail ${key} is missing from the blob store`);
  const outcome = await receiveInboundMail(
    {
      sesMessageId: notification.mail.messageId,
      rawMailKey: key,
      receiptRecipients: notification.receipt.recipients,
      verdicts: senderVerdicts(notification.receipt),
    },
    raw,
    {
      blobs: blobStore(),
      mailSecret: await getMailSecret(),
      now: nowTimestamp,
      publicUrl: (process.env.PUBLIC_URL ?? '').replace(/\/$/, ''),
    },
  );
  logger.info('Inbound mail handled', { sesMessageId: notification.mail.messageId, ...outcome });
};

export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, recordHandler, processor, { context });
