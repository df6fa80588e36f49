/**
 * The parsed form of a suspended mail, kept so recovery can act on it without parsing MIME again:
 * inline in the suspended record when small, else as JSON in the blob store under a key we generate
 * (a DynamoDB item holds at most 400 KB, and a mail's text and HTML may be far larger).
 */
import { type InboundMail, inboundMailSchema } from '../../mail/inbound/inbound-mail.ts';
import type { BlobStore } from '../../runtime/blob-store.ts';
import type { SuspendedMail } from '../../store/mail/suspended-mail.ts';

export const MAX_INLINE_PARSED_MAIL_BYTES = 64 * 1024;

export const keepParsedMail = async (
  suspendedId: number,
  mail: InboundMail,
  blobs: BlobStore,
): Promise<Pick<SuspendedMail, 'parsed_mail_json' | 'parsed_mail_key'>> => {
  const json = JSON.stringify(mail);
  if (Buffer.byteLength(json) <= MAX_INLINE_PARSED_MAIL_BYTES) return { parsed_mail_json: json };
  const key = `suspended/${suspendedId}.json`;
  await blobs.put(key, Buffer.from(json), 'application/json');
  return { parsed_mail_key: key };
};

/** Undefined when the mail was suspended before it could be parsed (only its raw form exists). */
export const parsedMailOf = async (
  record: SuspendedMail,
  blobs: BlobStore,
): Promise<InboundMail | undefined> => {
  if (record.parsed_mail_json !== undefined)
    return inboundMailSchema.parse(JSON.parse(record.parsed_mail_json));
  if (record.parsed_mail_key === undefined) return undefined;
  const stored = await blobs.get(record.parsed_mail_key);
  if (!stored) throw new Error(`Parsed mail ${record.parsed_mail_key} is missing from the blob store`);
  return inboundMailSchema.parse(JSON.parse(stored.toString('utf8')));
};
