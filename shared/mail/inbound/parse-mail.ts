/**
 * A raw mail, already bounded (mail-limits.ts), parsed with mailparser into what the inbound use case
 * needs: the From addresses as written (identity needs exactly one), recipients, threading ids, headers
 * for automation checks, text, HTML and attachments, or the delivery report of a bounce.
 */
import type { AddressObject, Attachment, EmailAddress, ParsedMail } from 'mailparser';
import mailparser from 'mailparser';
import { htmlToText } from '../../domain/html-text.ts';
import { normalizeAddress } from '../addresses.ts';
import { messageIdsIn } from '../message-ids.ts';
import { type DeliveryReport, isDeliveryReportType, readDeliveryReport } from './delivery-report.ts';
import type { MailAddress } from './inbound-mail.ts';
import { MAX_ATTACHMENTS, MAX_SUBJECT_CHARS } from './mail-limits.ts';

// mailparser is CommonJS-first; under Node's ESM loader only its default export is reliable.
const { simpleParser } = mailparser;

export interface MailFile {
  fileName: string | undefined;
  contentType: string;
  content: Buffer;
  /** Content-ID without angle brackets, for `cid:` references in the HTML. */
  contentId: string | undefined;
}

export interface ParsedInboundMail {
  /** Every From address (normalised; unparsable ones dropped) and how many From headers there were. */
  from: MailAddress[];
  fromHeaderCount: number;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  messageId: string | undefined;
  /** In-Reply-To then References, in header order. */
  threadIds: string[];
  date: Date | undefined;
  /** Lower-cased header names to their first raw value. */
  headers: ReadonlyMap<string, string>;
  text: string;
  html: string | undefined;
  attachments: MailFile[];
  deliveryReport: DeliveryReport | undefined;
  /** The parser gave up part-way or more attachments than we keep were present. */
  truncated: boolean;
}

/** Control characters other than tab and line breaks (NUL from invalid input included). */
const CONTROL = /(?![\t\n\r])\p{Cc}/gu;
const clean = (text: string): string => text.replace(CONTROL, '');
const cleanLine = (text: string): string => clean(text.replace(/[\r\n\t]+/g, ' ')).trim();

const addressesOf = (value: AddressObject | AddressObject[] | undefined): MailAddress[] => {
  const flatten = (entries: EmailAddress[]): EmailAddress[] =>
    entries.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
  const objects = Array.isArray(value) ? value : value ? [value] : [];
  return objects.flatMap((object) =>
    flatten(object.value).flatMap((entry) => {
      const address = normalizeAddress(entry.address);
      return address ? [{ address, name: cleanLine(entry.name ?? '').slice(0, 255) }] : [];
    }),
  );
};

const rawHeaders = (parsed: ParsedMail): Map<string, string> => {
  const headers = new Map<string, string>();
  for (const { key, line } of parsed.headerLines) {
    if (headers.has(key)) continue;
    const colon = line.indexOf(':');
    headers.set(
      key,
      line
        .slice(colon + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    );
  }
  return headers;
};

const REPORT_PARTS = new Set(['message/delivery-status', 'text/rfc822-headers', 'message/rfc822']);

const deliveryReportOf = (headers: ReadonlyMap<string, string>, attachments: Attachment[]) => {
  if (!isDeliveryReportType(headers.get('content-type'))) return undefined;
  const status = attachments.find((file) => file.contentType === 'message/delivery-status');
  const returned = attachments.find(
    (file) => file.contentType === 'text/rfc822-headers' || file.contentType === 'message/rfc822',
  );
  return readDeliveryReport(status?.content.toString('utf8') ?? '', returned?.content.toString('utf8') ?? '');
};

export const parseMail = async (raw: Buffer): Promise<ParsedInboundMail> => {
  const parsed = await simpleParser(raw, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
    keepCidLinks: true,
    keepDeliveryStatus: true,
    maxHtmlLengthToParse: 2 * 1024 * 1024,
  });
  const headers = rawHeaders(parsed);
  const html = typeof parsed.html === 'string' && parsed.html.trim() ? parsed.html : undefined;
  const text = clean(parsed.text?.trim() ? parsed.text : html ? htmlToText(html) : '');
  const deliveryReport = deliveryReportOf(headers, parsed.attachments);
  const files = parsed.attachments.filter((file) => !(deliveryReport && REPORT_PARTS.has(file.contentType)));
  const messageIds = messageIdsIn(parsed.messageId);
  return {
    from: addressesOf(parsed.from),
    fromHeaderCount: parsed.headerLines.filter((header) => header.key === 'from').length,
    to: addressesOf(parsed.to),
    cc: addressesOf(parsed.cc),
    subject: cleanLine(parsed.subject ?? '').slice(0, MAX_SUBJECT_CHARS),
    messageId: messageIds[0],
    threadIds: [...messageIdsIn(parsed.inReplyTo), ...messageIdsIn(parsed.references)],
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : undefined,
    headers,
    text,
    html,
    attachments: files.slice(0, MAX_ATTACHMENTS).map((file) => ({
      fileName: file.filename,
      contentType: /^[\w.+-]+\/[\w.+-]+$/.test(file.contentType)
        ? file.contentType.toLowerCase()
        : 'application/octet-stream',
      content: file.content,
      contentId: file.contentId?.replace(/^<|>$/g, '') || undefined,
    })),
    deliveryReport,
    truncated: files.length > MAX_ATTACHMENTS,
  };
};
