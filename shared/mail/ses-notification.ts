/**
 * The SES receipt notification (as SNS delivers it to the inbound queue) and the SES feedback
 * notification (bounces, complaints). The local SMTP listener produces exactly these shapes, so the
 * inbound function has one code path. Verdicts come only from `receipt`, never from mail headers.
 */
import * as z from 'zod';

const verdict = z.object({ status: z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']) });

export const sesReceiptNotification = z.object({
  notificationType: z.literal('Received'),
  mail: z.object({
    timestamp: z.string(),
    /** SES's id for the received mail (also the S3 object key's last part). */
    messageId: z.string().min(1).max(200),
    source: z.string(),
    destination: z.array(z.string()).max(10_000),
  }),
  receipt: z.object({
    timestamp: z.string(),
    recipients: z.array(z.string()).max(10_000),
    spamVerdict: verdict,
    virusVerdict: verdict,
    spfVerdict: verdict,
    dkimVerdict: verdict,
    dmarcVerdict: verdict,
    action: z.object({
      type: z.literal('S3'),
      bucketName: z.string(),
      objectKey: z.string().min(1).max(1024),
    }),
  }),
});
export type SesReceiptNotification = z.infer<typeof sesReceiptNotification>;

const feedbackFields = z.object({
  notificationType: z.enum([
    'Bounce',
    'Complaint',
    'Delivery',
    'Send',
    'Reject',
    'Open',
    'Click',
    'DeliveryDelay',
  ]),
  mail: z.object({ messageId: z.string(), destination: z.array(z.string()) }),
  bounce: z
    .object({
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(z.object({ emailAddress: z.string() })),
    })
    .optional(),
  complaint: z.object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() })) }).optional(),
});

/**
 * Identity notifications name the kind `notificationType`; configuration-set event destinations (what
 * the CDK app sets up) name it `eventType`. Both are accepted, as one shape.
 */
export const sesFeedbackNotification = z.preprocess((value) => {
  if (value && typeof value === 'object' && 'eventType' in value && !('notificationType' in value)) {
    return { ...value, notificationType: (value as { eventType: unknown }).eventType };
  }
  return value;
}, feedbackFields);
export type SesFeedbackNotification = z.infer<typeof sesFeedbackNotification>;

/** SNS wraps the SES notification as a JSON string in `Message` (raw message delivery off). */
export const snsEnvelope = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string(),
  Message: z.string(),
});

export const toSnsEnvelope = (notification: unknown, messageId: string): string =>
  JSON.stringify({ Type: 'Notification', MessageId: messageId, Message: JSON.stringify(notification) });
