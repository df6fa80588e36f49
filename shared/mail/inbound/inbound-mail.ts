/**
 * A received mail after parsing and sanitizing: everything the inbound use case acts on, and nothing
 * that needs the MIME parser or the HTML sanitizer to use. Mail suspended after parsing keeps this form
 * (as JSON), so an agent's recovery runs the same rules in a function that bundles neither.
 */
import * as z from 'zod';
import type { Attachment } from '../../domain/tickets/ticket.ts';
import type { AutomationReason } from './automated-mail.ts';
import type { DeliveryReport } from './delivery-report.ts';

const mailAddress = z.object({ address: z.string(), name: z.string() });

const attachment: z.ZodType<Attachment> = z.object({
  id: z.number(),
  file_name: z.string(),
  content_url: z.string(),
  content_type: z.string(),
  size: z.number(),
  inline: z.boolean().optional(),
});

const automationReason: z.ZodType<AutomationReason> = z.enum([
  'auto_submitted',
  'autoreply_header',
  'precedence',
  'mailing_list',
  'null_return_path',
  'system_sender',
  'own_address',
]);

const deliveryReport: z.ZodType<DeliveryReport> = z.object({
  failedRecipients: z.array(z.string()),
  originalMessageIds: z.array(z.string()),
  summary: z.string(),
});

export const inboundMailSchema = z.object({
  /** Every From address (normalised; unparsable ones dropped) and how many From headers there were. */
  from: z.array(mailAddress),
  fromHeaderCount: z.number(),
  to: z.array(mailAddress),
  cc: z.array(mailAddress),
  subject: z.string(),
  messageId: z.string().optional(),
  /** In-Reply-To then References, in header order. */
  threadIds: z.array(z.string()),
  /** The Date header, as an ISO timestamp, when it could be read. */
  date: z.string().optional(),
  /** Read from the headers (RFC 3834 and vendors' equivalents) when the mail was parsed. */
  automation: z.discriminatedUnion('automated', [
    z.object({ automated: z.literal(false) }),
    z.object({ automated: z.literal(true), reason: automationReason }),
  ]),
  text: z.string(),
  /**
   * The HTML body, sanitized twice: `whole` keeps the quoted history (a new ticket shows all of it),
   * `reply` drops what mail clients mark as quoted (a reply shows its new text). Both point inline
   * images at their stored attachments.
   */
  html: z.object({ whole: z.string(), reply: z.string() }).optional(),
  /** Files already in the blob store under our keys, with the ids their records will have. */
  attachments: z.array(z.object({ attachment, blobKey: z.string() })),
  deliveryReport: deliveryReport.optional(),
  /** Limits cut the mail (size, parts, nesting, header length, attachment count). */
  truncated: z.boolean(),
});

export type InboundMail = z.infer<typeof inboundMailSchema>;
export type MailAddress = InboundMail['from'][number];
export type StoredAttachment = InboundMail['attachments'][number];
