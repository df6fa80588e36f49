/**
 * What SES does with a received mail, done locally: keep the raw bytes under `inbound/<id>` (SES's S3
 * action) and hand the inbound queue the SNS envelope of the receipt notification, so the inbound
 * function runs the one code path it runs in AWS.
 *
 * Local mail carries no real authentication results, so tests choose them with an
 * `X-Relaydesk-Local-Verdicts: spf=fail; dkim=pass; …` header. Only this adapter reads it; production
 * code takes verdicts from the receipt alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SesReceiptNotification } from '../../shared/mail/ses-notification.ts';
import { toSnsEnvelope } from '../../shared/mail/ses-notification.ts';
import type { BlobStore } from '../../shared/runtime/blob-store.ts';

export const LOCAL_VERDICTS_HEADER = 'x-relaydesk-local-verdicts';
export const LOCAL_BUCKET = 'local';

type VerdictStatus = SesReceiptNotification['receipt']['spfVerdict']['status'];
export type Verdicts = Record<'spf' | 'dkim' | 'dmarc' | 'spam' | 'virus', VerdictStatus>;

const STATUSES: readonly VerdictStatus[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'];
const ALL_PASS: Verdicts = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };

/** The header block of a raw message, unfolded (continuation lines joined), one header per entry. */
const headerLines = (raw: Buffer): string[] => {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
};

/** The verdicts a local mail asks for; PASS for anything it does not name (or names wrongly). */
export const localVerdicts = (raw: Buffer): Verdicts => {
  const verdicts = { ...ALL_PASS };
  for (const line of headerLines(raw)) {
    const colon = line.indexOf(':');
    if (colon === -1 || line.slice(0, colon).trim().toLowerCase() !== LOCAL_VERDICTS_HEADER) continue;
    for (const part of line.slice(colon + 1).split(';')) {
      const [key = '', value = ''] = part.split('=').map((piece) => piece.trim());
      const status = value.toUpperCase() as VerdictStatus;
      if (key.toLowerCase() in verdicts && STATUSES.includes(status)) {
        verdicts[key.toLowerCase() as keyof Verdicts] = status;
      }
    }
  }
  return verdicts;
};

export interface SmtpEnvelope {
  /** MAIL FROM; empty for the null reverse-path (`<>`), as on bounces. */
  mailFrom: string;
  /** RCPT TO, in order, as accepted. */
  recipients: readonly string[];
  clientHostname: string;
  remoteAddress: string;
}

export const receiptNotification = (input: {
  messageId: string;
  objectKey: string;
  envelope: SmtpEnvelope;
  verdicts: Verdicts;
  receivedAt: Date;
}): SesReceiptNotification => {
  const timestamp = input.receivedAt.toISOString();
  const status = (verdict: VerdictStatus) => ({ status: verdict });
  return {
    notificationType: 'Received',
    mail: {
      timestamp,
      messageId: input.messageId,
      source: input.envelope.mailFrom,
      destination: [...input.envelope.recipients],
    },
    receipt: {
      timestamp,
      recipients: [...input.envelope.recipients],
      spamVerdict: status(input.verdicts.spam),
      virusVerdict: status(input.verdicts.virus),
      spfVerdict: status(input.verdicts.spf),
      dkimVerdict: status(input.verdicts.dkim),
      dmarcVerdict: status(input.verdicts.dmarc),
      action: { type: 'S3', bucketName: LOCAL_BUCKET, objectKey: input.objectKey },
    },
  };
};

/**
 * SES stores the message with a Return-Path (the envelope sender) and its Received line on top; so do
 * we, so that checks such as "empty Return-Path means automated mail" see what they would see in AWS.
 */
const traceHeaders = (envelope: SmtpEnvelope, messageId: string, receivedAt: Date): Buffer => {
  const clean = (value: string) => value.replace(/[^\x21-\x7e]/g, '');
  return Buffer.from(
    `Return-Path: <${clean(envelope.mailFrom)}>\r\n` +
      `Received: from ${clean(envelope.clientHostname) || 'unknown'} ([${clean(envelope.remoteAddress)}])\r\n` +
      ` by relaydesk-local-smtp with SMTP id ${messageId};\r\n ${receivedAt.toUTCString()}\r\n`,
    'latin1',
  );
};

export interface LocalMailReceiptOptions {
  blobs: BlobStore;
  /** Puts SNS envelope bodies on the inbound queue. */
  enqueue: (bodies: readonly string[]) => Promise<void>;
  now?: () => Date;
}

/** Returns the handler the SMTP listener calls per accepted mail; it resolves with SES's message id. */
export const createLocalMailReceipt =
  ({ blobs, enqueue, now = () => new Date() }: LocalMailReceiptOptions) =>
  async (raw: Buffer, envelope: SmtpEnvelope): Promise<string> => {
    const messageId = randomBytes(20).toString('hex');
    const objectKey = `inbound/${messageId}`;
    const receivedAt = now();
    // Stored before it is announced, as SES does: a notification always names an object that exists.
    await blobs.put(
      objectKey,
      Buffer.concat([traceHeaders(envelope, messageId, receivedAt), raw]),
      'message/rfc822',
    );
    const notification = receiptNotification({
      messageId,
      objectKey,
      envelope,
      verdicts: localVerdicts(raw),
      receivedAt,
    });
    await enqueue([toSnsEnvelope(notification, randomUUID())]);
    return messageId;
  };
