/**
 * Mails what a rule's notification asked for (consumer of `notification.requested`). The audit's
 * `Notification` event holds the subject and body already rendered and the recipients as user ids.
 *
 * Primary course:
 * 1. Read the ticket and the event; a deleted ticket or a missing event sends nothing.
 * 2. A notification that carries the update's public comment is the comment's mail: it goes out
 *    threaded, once per comment, to the requester and CCs (send-comment-mail.ts).
 * 3. Otherwise, per recipient: skip people without a usable address (none, inactive, suspended,
 *    no-reply style, ours), and the requester and the mail's sender when the update came from mail a
 *    machine sent; claim (event, recipient); skip undeliverable addresses and, for anyone but staff,
 *    addresses over the automatic-mail cap; send; mark sent; record the Message-IDs for threading.
 * Alternate courses: a recipient already mailed is skipped (only its Message-IDs are recorded again);
 * a claim another run holds fails the message once every other recipient is done, so the queue
 * retries it after that run.
 */
import { isStaff, type User } from '../../domain/directory/user.ts';
import type { Audit, NotificationEvent, Ticket } from '../../domain/tickets/ticket.ts';
import { normalizeAddress, replyAddressFor, supportAddress } from '../../mail/addresses.ts';
import { isSystemAddress } from '../../mail/inbound/automated-mail.ts';
import { sesMessageIdHeader } from '../../mail/mail-sender.ts';
import { createMessageId } from '../../mail/message-ids.ts';
import { composeMail } from '../../mail/outbound/compose-mail.ts';
import { deskName, domainOf } from '../../mail/outbound/desk-identity.ts';
import { renderNotificationMail } from '../../mail/outbound/render-notification-mail.ts';
import { threadHeaders } from '../../mail/outbound/thread-headers.ts';
import { getUsers } from '../../store/directory/users.ts';
import { getCommentMailOrigin } from '../../store/mail/attachment-records.ts';
import type { SentMailRecord } from '../../store/mail/mail-claims.ts';
import {
  claimNotificationMail,
  markNotificationMailSent,
  type NotificationRecipientKey,
} from '../../store/mail/sent-notification-mail.ts';
import { recordThreadedMessage } from '../../store/tickets/mail-threads.ts';
import { getAudit, getTicket } from '../../store/tickets/tickets.ts';
import { mayAutoMail } from './auto-mail.ts';
import { undeliverableAmong } from './mail-suppression.ts';
import {
  type SendCommentMailDependencies,
  type SendCommentMailOutcome,
  sendCommentMail,
} from './send-comment-mail.ts';

/** Longer than the consumer's timeout, shorter than its queue's visibility timeout. */
const CLAIM_LEASE_MS = 90_000;

export type SendNotificationMailDependencies = SendCommentMailDependencies;

export type NotificationMailOutcome =
  | { kind: 'not_found' }
  | { kind: 'comment_mail'; outcome: SendCommentMailOutcome }
  | { kind: 'notified'; sent: number; skipped: number };

/** Another run holds a recipient's claim; retrying later finds that mail sent. */
export class NotificationMailInProgress extends Error {}

type RecipientOutcome = 'sent' | 'skipped' | 'in_progress';

export const sendNotificationMail = async (
  event: { ticketId: number; auditId: number; eventId: number },
  dependencies: SendNotificationMailDependencies,
): Promise<NotificationMailOutcome> => {
  const [ticket, audit] = await Promise.all([
    getTicket(event.ticketId),
    getAudit(event.ticketId, event.auditId),
  ]);
  const notification = audit?.events.find(
    (candidate): candidate is NotificationEvent =>
      candidate.type === 'Notification' && candidate.id === event.eventId,
  );
  if (!ticket || ticket.deleted_at !== null || !audit || !notification) return { kind: 'not_found' };

  if (notification.comment_id !== undefined) {
    const outcome = await sendCommentMail(
      {
        ticketId: ticket.id,
        commentId: notification.comment_id,
        notification: { subject: notification.subject, body: notification.body },
      },
      dependencies,
    );
    return { kind: 'comment_mail', outcome };
  }

  const people = await getUsers(notification.recipients);
  const unanswerable = await peopleNotToAnswer(ticket, audit);
  const outcomes: RecipientOutcome[] = [];
  for (const person of people) {
    const address = usableAddress(person);
    outcomes.push(
      address && !unanswerable.has(person.id)
        ? await notifyRecipient(ticket, notification, person, address, dependencies)
        : 'skipped',
    );
  }
  if (outcomes.includes('in_progress'))
    throw new NotificationMailInProgress(`Notification ${notification.id} is being mailed`);
  const sent = outcomes.filter((outcome) => outcome === 'sent').length;
  return { kind: 'notified', sent, skipped: notification.recipients.length - sent };
};

/** A recipient's normalised address, unless nobody should mail it (survey mail asks the same). */
export const usableAddress = (person: User): string | undefined => {
  if (!person.active || person.suspended) return undefined;
  const address = normalizeAddress(person.email);
  // isSystemAddress covers our own addresses too.
  return address && !isSystemAddress(address) ? address : undefined;
};

/**
 * Who must get no automatic mail from this cycle: when the update the rules reacted to came from mail
 * a machine sent (auto-submitted, bulk, list, no-reply), answering would talk to that machine, so
 * neither its sender nor the requester hears from us. Agents still get their notifications.
 */
const peopleNotToAnswer = async (ticket: Ticket, audit: Audit): Promise<Set<number>> => {
  const sourceAuditId = Number(audit.metadata.custom.source_audit_id);
  if (!Number.isSafeInteger(sourceAuditId) || sourceAuditId <= 0) return new Set();
  const source = await getAudit(ticket.id, sourceAuditId);
  const comment = source?.events.find((candidate) => candidate.type === 'Comment');
  if (!comment) return new Set();
  const origin = await getCommentMailOrigin(ticket.id, comment.id);
  return origin?.automated ? new Set([ticket.requester_id, comment.author_id]) : new Set();
};

/** The requester and CCs may answer onto the ticket; anyone else's reply goes to the support address. */
const participates = (ticket: Ticket, userId: number): boolean =>
  userId === ticket.requester_id ||
  ticket.collaborator_ids.includes(userId) ||
  ticket.email_cc_ids.includes(userId);

const recordMessageIds = async (ticketId: number, sent: SentMailRecord): Promise<void> => {
  for (const messageId of sent.messageIds) {
    await recordThreadedMessage({ messageId, ticketId, recipients: sent.recipients, direction: 'outbound' });
  }
};

const notifyRecipient = async (
  ticket: Ticket,
  notification: NotificationEvent,
  person: User,
  address: string,
  dependencies: SendNotificationMailDependencies,
): Promise<RecipientOutcome> => {
  const key: NotificationRecipientKey = { ticketId: ticket.id, eventId: notification.id, userId: person.id };
  const support = supportAddress();
  const startedAt = dependencies.now();
  const claim = await claimNotificationMail(key, {
    messageId: createMessageId({
      ticketId: ticket.id,
      secret: await dependencies.mailSecret(),
      domain: domainOf(support),
    }),
    nowMs: startedAt.getTime(),
    leaseUntilMs: startedAt.getTime() + CLAIM_LEASE_MS,
  });
  if (claim.status === 'in_progress') return 'in_progress';
  if (claim.status === 'done') {
    await recordMessageIds(ticket.id, claim.sent);
    return 'skipped';
  }

  const now = startedAt.toISOString();
  // Staff notifications are not capped: a busy queue must not silence an agent's assignments.
  const allowed = isStaff(person)
    ? (await undeliverableAmong([address])).size === 0
    : await mayAutoMail(address, now);
  if (!allowed) {
    await markNotificationMailSent(key, { messageIds: [], recipients: [] }, now);
    return 'skipped';
  }

  const replyAddress =
    participates(ticket, person.id) && ticket.reply_token ? replyAddressFor(ticket.reply_token) : undefined;
  const content = await renderNotificationMail({
    subject: notification.subject,
    body: notification.body,
    replyable: replyAddress !== undefined,
  });
  const raw = await composeMail({
    from: { name: deskName(), address: support },
    to: [address],
    replyTo: replyAddress ?? support,
    subject: content.subject,
    messageId: claim.messageId,
    ...threadHeaders([], claim.messageId),
    text: content.text,
    html: content.html,
    date: startedAt,
    automatic: 'auto-generated',
  });
  const { providerMessageId } = await dependencies.sender.send({ raw, from: support, to: [address] });
  const sent: SentMailRecord = {
    messageIds: [claim.messageId, sesMessageIdHeader(providerMessageId)],
    recipients: [address],
  };
  await markNotificationMailSent(key, sent, dependencies.now().toISOString());
  await recordMessageIds(ticket.id, sent);
  return 'sent';
};
