/**
 * Turns one received raw mail into its parsed form and acts on it (act-on-inbound-mail.ts). This is
 * the only use case that bundles the MIME parser (mailparser and its charset tables) and the HTML
 * sanitizer: everything after parsing works on the parsed form, which suspended mail keeps.
 *
 * Primary course: 1. skip a delivery already handled; 2. bound the mail and parse it (mail too large
 * to read or unreadable is suspended with only its raw form); 3. store its files under our keys and
 * sanitize its HTML (pointing inline images at the stored files); 4. act on it.
 */
import { createHash } from 'node:crypto';
import { classifyAutomation } from '../../mail/inbound/automated-mail.ts';
import type { InboundMail } from '../../mail/inbound/inbound-mail.ts';
import { boundRawMail } from '../../mail/inbound/mail-limits.ts';
import { type MailFile, type ParsedInboundMail, parseMail } from '../../mail/inbound/parse-mail.ts';
import { sanitizeInboundHtml } from '../../mail/inbound/sanitize-inbound-html.ts';
import { isDeliverySeen } from '../../store/mail/inbound-mail-claims.ts';
import { actOnInboundMail, type InboundOutcome } from './act-on-inbound-mail.ts';
import { storeAttachments } from './inbound-attachments.ts';
import type { InboundDelivery, InboundMailPorts } from './inbound-mail-context.ts';
import { type SuspensionCause, suspendInboundMail } from './suspend-inbound-mail.ts';

/** Same Message-ID, same sender, same content: the same mail, whichever of our addresses it came through. */
const contentFingerprint = (mail: ParsedInboundMail, files: readonly MailFile[]): string | undefined => {
  if (!mail.messageId) return undefined;
  const hash = createHash('sha256');
  for (const part of [
    mail.messageId,
    mail.from.map((from) => from.address).join(','),
    mail.subject,
    mail.text,
    mail.html ?? '',
  ]) {
    hash.update(part).update('\0');
  }
  for (const file of files) hash.update(createHash('sha256').update(file.content).digest());
  return `content:${hash.digest('base64url')}`;
};

export const receiveInboundMail = async (
  delivery: InboundDelivery,
  raw: Buffer,
  ports: InboundMailPorts,
): Promise<InboundOutcome> => {
  if (await isDeliverySeen(delivery.sesMessageId)) return { kind: 'duplicate' };
  const suspendUnread = (cause: SuspensionCause) =>
    suspendInboundMail(
      delivery,
      { cause, mail: undefined },
      { blobs: ports.blobs, now: ports.now() },
      undefined,
    );

  const bounded = boundRawMail(raw);
  if (bounded.tooLarge) return suspendUnread('too_large');
  let parsed: ParsedInboundMail;
  try {
    parsed = await parseMail(bounded.raw);
  } catch {
    return suspendUnread('unreadable');
  }
  // Over the parse limit only the start was read, so its files cannot be trusted to be whole.
  const files = bounded.attachmentsDropped ? [] : parsed.attachments;
  const { stored, cidUrls } = await storeAttachments(files, parsed.html, ports.blobs, ports.publicUrl);
  const mail: InboundMail = {
    from: parsed.from,
    fromHeaderCount: parsed.fromHeaderCount,
    to: parsed.to,
    cc: parsed.cc,
    subject: parsed.subject,
    messageId: parsed.messageId,
    threadIds: parsed.threadIds,
    date: parsed.date?.toISOString(),
    automation: classifyAutomation(parsed.headers, parsed.from[0]?.address),
    text: parsed.text,
    html: parsed.html
      ? {
          whole: sanitizeInboundHtml(parsed.html, cidUrls, { keepQuotes: true }),
          reply: sanitizeInboundHtml(parsed.html, cidUrls),
        }
      : undefined,
    attachments: stored,
    deliveryReport: parsed.deliveryReport,
    truncated: bounded.truncated || parsed.truncated,
  };
  return actOnInboundMail({
    delivery,
    mail,
    ports,
    contentFingerprint: contentFingerprint(parsed, files),
  });
};
