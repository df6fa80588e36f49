/**
 * Keeps a mail for review instead of posting it (Zendesk's suspended tickets), together with its
 * dedupe claims, so a redelivery of a suspended mail suspends nothing twice.
 */
import { ValidationError } from '../../domain/errors.ts';
import type { InboundMail } from '../../mail/inbound/inbound-mail.ts';
import type { BlobStore } from '../../runtime/blob-store.ts';
import { inboundMailClaims } from '../../store/mail/inbound-mail-claims.ts';
import {
  allocateSuspendedMailId,
  type SuspendedMail,
  suspendedMailItem,
} from '../../store/mail/suspended-mail.ts';
import { type LabelledItem, TransactionConflict, writeTransaction } from '../../store/transactions.ts';
import type { InboundDelivery, Recovery } from './inbound-mail-context.ts';
import { keepParsedMail } from './suspended-mail-content.ts';

/** Why a mail was suspended; ids are stable (they are the API's `cause_id`). */
export const SUSPENSION_CAUSES = {
  spam: { id: 0, text: 'Detected as spam' },
  automated_response: { id: 1, text: 'Automated response mail' },
  mail_loop: { id: 2, text: 'Detected as mail loop' },
  virus: { id: 3, text: 'Detected as virus' },
  no_sender: { id: 4, text: 'Sender is missing or unreadable' },
  multiple_senders: { id: 5, text: 'Mail has several From addresses' },
  rate_limited: { id: 6, text: 'Sender exceeded the new tickets per hour limit' },
  too_large: { id: 7, text: 'Mail is too large to process' },
  unreadable: { id: 8, text: 'Mail could not be parsed' },
  blank: { id: 9, text: 'Mail has no content' },
  sender_suspended: { id: 10, text: 'Sender is suspended or deleted' },
  system_sender: { id: 11, text: 'Sender is a system address' },
  rejected: { id: 12, text: 'Mail could not be added to its ticket' },
} as const;

export type SuspensionCause = keyof typeof SUSPENSION_CAUSES;

export const MAX_SUSPENDED_CONTENT_CHARS = 10_000;

export interface Suspension {
  cause: SuspensionCause;
  /** Undefined when the mail could not be parsed: recovery then has nothing to act on. */
  mail: InboundMail | undefined;
  ticketId?: number | undefined;
  contentFingerprint?: string | undefined;
}

/** A mail an agent is recovering that still cannot become a ticket: the record stays. */
export const unrecoverable = (cause: SuspensionCause): ValidationError =>
  ValidationError.field('suspended_ticket', `Cannot recover: ${SUSPENSION_CAUSES[cause].text}`);

export type SuspensionOutcome =
  | { kind: 'suspended'; suspendedId: number; cause: SuspensionCause }
  | { kind: 'duplicate' };

/** A claim already taken means a concurrent redelivery suspended (or posted) this mail first. */
export const suspendInboundMail = async (
  delivery: InboundDelivery,
  suspension: Suspension,
  ports: { blobs: BlobStore; now: string },
  recovery: Recovery | undefined,
): Promise<SuspensionOutcome> => {
  if (recovery) throw unrecoverable(suspension.cause);
  const { mail } = suspension;
  const { now } = ports;
  const sender = mail?.from.length === 1 ? mail.from[0] : undefined;
  const id = await allocateSuspendedMailId();
  const record: SuspendedMail = {
    id,
    subject: mail?.subject ?? '',
    author: {
      name: sender?.name || sender?.address || mail?.from[0]?.address || '',
      email: sender?.address ?? null,
    },
    content: (mail?.text ?? '').slice(0, MAX_SUSPENDED_CONTENT_CHARS),
    cause: SUSPENSION_CAUSES[suspension.cause].text,
    cause_id: SUSPENSION_CAUSES[suspension.cause].id,
    message_id: mail?.messageId ?? null,
    ticket_id: suspension.ticketId ?? null,
    recipient: delivery.receiptRecipients[0] ?? mail?.to[0]?.address ?? null,
    raw_mail_key: delivery.rawMailKey,
    ...(mail ? await keepParsedMail(id, mail, ports.blobs) : {}),
    ses_message_id: delivery.sesMessageId,
    receipt_recipients: delivery.receiptRecipients.slice(0, 100),
    attachments: [],
    created_at: now,
    updated_at: now,
  };
  const items: LabelledItem[] = [
    suspendedMailItem(record),
    ...inboundMailClaims({
      sesMessageId: delivery.sesMessageId,
      contentFingerprint: suspension.contentFingerprint,
      outcome: `suspended:${id}`,
      now,
    }),
  ];
  try {
    await writeTransaction(items);
  } catch (error) {
    if (error instanceof TransactionConflict) return { kind: 'duplicate' };
    throw error;
  }
  return { kind: 'suspended', suspendedId: id, cause: suspension.cause };
};
