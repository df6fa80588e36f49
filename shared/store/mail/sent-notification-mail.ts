/**
 * One item per (rule notification, recipient), in the ticket's partition: the claim that makes each
 * recipient's mail idempotent under redelivery (see mail-claims.ts), then what went out.
 */
import { ticketPartition } from '../tickets/tickets.ts';
import { claimMail, markMailSent, type SentMailRecord, sentMailRecord } from './mail-claims.ts';

const notifiedKey = (ticketId: number, eventId: number, userId: number) => ({
  pk: ticketPartition(ticketId),
  sk: `NOTIFIED#${String(eventId).padStart(18, '0')}#${userId}`,
});

export interface NotificationRecipientKey {
  ticketId: number;
  /** The audit's Notification event. */
  eventId: number;
  userId: number;
}

export type NotificationMailClaim =
  | { status: 'claimed'; messageId: string }
  | { status: 'done'; sent: SentMailRecord }
  | { status: 'in_progress' };

export const claimNotificationMail = async (
  recipient: NotificationRecipientKey,
  input: { messageId: string; nowMs: number; leaseUntilMs: number },
): Promise<NotificationMailClaim> => {
  const claim = await claimMail(notifiedKey(recipient.ticketId, recipient.eventId, recipient.userId), {
    ...input,
    attributes: { event_id: recipient.eventId, user_id: recipient.userId },
  });
  return claim.status === 'done' ? { status: 'done', sent: sentMailRecord(claim.item) } : claim;
};

export const markNotificationMailSent = (
  recipient: NotificationRecipientKey,
  sent: SentMailRecord,
  at: string,
): Promise<void> =>
  markMailSent(notifiedKey(recipient.ticketId, recipient.eventId, recipient.userId), sent, at);
