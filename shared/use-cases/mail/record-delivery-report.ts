/**
 * A delivery status notification for mail we sent: the failed addresses stop receiving mail and the
 * ticket the bounced mail belonged to gets an internal note. A report is acted on only when it names a
 * Message-ID of ours (MAC-verified or recorded), since anyone can write a DSN and must not be able to
 * silence a customer's address.
 * The note is a system audit, as for SES feedback (record-mail-feedback.ts): the reporting server is
 * no user (it never becomes one), the note changes no field or status (a pending ticket stays pending),
 * and `via: system` is ignored by rules and notifications. A closed ticket cannot change: no note.
 * The inbound claims commit with the note (or alone), so a redelivered report adds nothing.
 */

import { SYSTEM_AUTHOR_ID } from '../../domain/system-author.ts';
import { planTicketChange } from '../../domain/tickets/plan-ticket-write.ts';
import type { CommentMailOrigin, Via } from '../../domain/tickets/ticket.ts';
import type { DeliveryReport } from '../../mail/inbound/delivery-report.ts';
import type { InboundMail } from '../../mail/inbound/inbound-mail.ts';
import {
  allocateAuditId,
  getTicket,
  TicketVersionConflict,
  writeTicket,
} from '../../store/tickets/tickets.ts';
import { type LabelledItem, TransactionConflict, writeTransaction } from '../../store/transactions.ts';
import type { InboundDelivery, InboundMailPorts } from './inbound-mail-context.ts';
import { markAddressUndeliverable } from './mail-suppression.ts';
import { ticketsNamedBy } from './thread-inbound-mail.ts';

const MAX_ATTEMPTS = 5;

const systemVia = (): Via => ({ channel: 'system', source: { from: {}, to: {}, rel: 'delivery_report' } });

/** False when the ticket is gone or closed, so there is nothing to note on. */
const addNote = async (
  ticketId: number,
  comment: { body: string; mail: CommentMailOrigin },
  now: string,
  claims: LabelledItem[],
): Promise<boolean> => {
  for (let attempt = 1; ; attempt++) {
    const ticket = await getTicket(ticketId);
    if (!ticket || ticket.deleted_at !== null || ticket.status === 'closed') return false;
    const plan = planTicketChange(
      ticket,
      { comment: { ...comment, public: false, author_id: SYSTEM_AUTHOR_ID, authorIsEndUser: false } },
      { auditId: await allocateAuditId(), now, actorId: SYSTEM_AUTHOR_ID, via: systemVia() },
    );
    if (!plan) return false;
    try {
      await writeTicket({ ...plan, expectedVersion: ticket.version, alsoWrite: claims });
      return true;
    } catch (error) {
      if (!(error instanceof TicketVersionConflict) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
};

export const recordDeliveryReport = async (input: {
  report: DeliveryReport;
  mail: InboundMail;
  delivery: InboundDelivery;
  ports: InboundMailPorts;
  now: string;
  claims: LabelledItem[];
}): Promise<
  { kind: 'bounce_recorded'; addresses: string[]; ticketId: number | null } | { kind: 'duplicate' }
> => {
  const { report, mail, now, claims } = input;
  const named = await ticketsNamedBy(
    [...mail.threadIds, ...report.originalMessageIds],
    input.ports.mailSecret,
  );
  const ticketId = named.own.at(-1) ?? named.recorded.at(-1);
  const addresses = ticketId === undefined ? [] : report.failedRecipients;
  for (const address of addresses) await markAddressUndeliverable(address, report.summary || 'bounced', now);

  try {
    const noted =
      ticketId !== undefined &&
      addresses.length > 0 &&
      (await addNote(
        ticketId,
        {
          body: `Mail to ${addresses.join(', ')} could not be delivered. No further mail goes to ${
            addresses.length > 1 ? 'these addresses' : 'this address'
          }.\n\n${report.summary}`,
          mail: {
            raw_mail_key: input.delivery.rawMailKey,
            message_id: mail.messageId ?? null,
            unverified_sender: false,
            truncated: false,
          },
        },
        now,
        claims,
      ));
    if (!noted) await writeTransaction(claims);
  } catch (error) {
    if (error instanceof TransactionConflict) return { kind: 'duplicate' };
    throw error;
  }
  return { kind: 'bounce_recorded', addresses, ticketId: ticketId ?? null };
};
