/**
 * SES feedback about mail we sent (bounce, complaint; delivery notices are ignored).
 *
 * Primary course: 1. a permanent bounce or a complaint marks each named recipient undeliverable
 * (transient bounces do not: the next mail may well arrive); 2. the ticket the mail belonged to (found
 * by the SES Message-ID we recorded when sending) gets an internal note saying what happened, so the
 * agent learns their reply did not arrive.
 * The note is written directly as a system audit rather than through updateTicket: it has no human
 * author, changes no field or status (a solved ticket stays solved), is never public (so it is never
 * mailed), and carries `via: system`, which rules and notifications ignore. A closed ticket cannot
 * change, so it gets no note; the mark on the user still shows. Redelivery adds nothing (a marker
 * commits with the note).
 */
import { SYSTEM_AUTHOR_ID } from '../../domain/system-author.ts';
import { planTicketChange } from '../../domain/tickets/plan-ticket-write.ts';
import type { Via } from '../../domain/tickets/ticket.ts';
import { normalizeAddress } from '../../mail/addresses.ts';
import { sesMessageIdHeader } from '../../mail/mail-sender.ts';
import type { SesFeedbackNotification } from '../../mail/ses-notification.ts';
import { FEEDBACK_NOTE_LABEL, feedbackNoteClaim } from '../../store/mail/mail-feedback-notes.ts';
import { findThreadedMessages } from '../../store/tickets/mail-threads.ts';
import {
  allocateAuditId,
  getTicket,
  TicketVersionConflict,
  writeTicket,
} from '../../store/tickets/tickets.ts';
import { TransactionConflict } from '../../store/transactions.ts';
import { markAddressUndeliverable } from './mail-suppression.ts';

const MAX_ATTEMPTS = 5;

export type MailFeedbackOutcome = 'ignored' | 'recorded';

interface Feedback {
  addresses: string[];
  permanent: boolean;
  description: string;
}

const feedbackOf = (notification: SesFeedbackNotification): Feedback | undefined => {
  const named = (list: { emailAddress: string }[] | undefined) => [
    ...new Set((list ?? []).flatMap((entry) => normalizeAddress(entry.emailAddress) ?? [])),
  ];
  if (notification.notificationType === 'Bounce' && notification.bounce) {
    const { bounceType, bounceSubType } = notification.bounce;
    return {
      addresses: named(notification.bounce.bouncedRecipients),
      permanent: bounceType === 'Permanent',
      description: `bounce: ${bounceType}${bounceSubType ? ` (${bounceSubType})` : ''}`,
    };
  }
  if (notification.notificationType === 'Complaint' && notification.complaint) {
    return {
      addresses: named(notification.complaint.complainedRecipients),
      permanent: true,
      description: 'complaint',
    };
  }
  return undefined;
};

const noteBody = (feedback: Feedback): string => {
  const who = feedback.addresses.join(', ');
  return feedback.permanent
    ? `Mail to ${who} could not be delivered (${feedback.description}). No further mail goes to ${
        feedback.addresses.length > 1 ? 'these addresses' : 'this address'
      }.`
    : `Mail to ${who} was delayed or refused for now (${feedback.description}). Delivery was not stopped.`;
};

const systemVia = (): Via => ({ channel: 'system', source: { from: {}, to: {}, rel: 'mail_feedback' } });

const addNote = async (ticketId: number, feedbackId: string, body: string, now: string): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    const ticket = await getTicket(ticketId);
    if (!ticket || ticket.deleted_at !== null || ticket.status === 'closed') return;
    const plan = planTicketChange(
      ticket,
      { comment: { body, public: false, author_id: SYSTEM_AUTHOR_ID, authorIsEndUser: false } },
      { auditId: await allocateAuditId(), now, actorId: SYSTEM_AUTHOR_ID, via: systemVia() },
    );
    if (!plan) return;
    try {
      await writeTicket({
        ...plan,
        expectedVersion: ticket.version,
        alsoWrite: [feedbackNoteClaim(ticketId, feedbackId)],
      });
      return;
    } catch (error) {
      if (error instanceof TransactionConflict && error.labels.includes(FEEDBACK_NOTE_LABEL)) return;
      if (!(error instanceof TicketVersionConflict) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
};

export const recordMailFeedback = async (
  notification: SesFeedbackNotification,
  now: string,
): Promise<MailFeedbackOutcome> => {
  const feedback = feedbackOf(notification);
  if (!feedback || feedback.addresses.length === 0) return 'ignored';
  if (feedback.permanent) {
    for (const address of feedback.addresses) {
      await markAddressUndeliverable(address, feedback.description, now);
    }
  }
  const [threaded] = await findThreadedMessages([sesMessageIdHeader(notification.mail.messageId)]);
  if (threaded?.direction === 'outbound') {
    const feedbackId = `${notification.notificationType}#${notification.mail.messageId}`;
    await addNote(threaded.ticketId, feedbackId, noteBody(feedback), now);
  }
  return 'recorded';
};
