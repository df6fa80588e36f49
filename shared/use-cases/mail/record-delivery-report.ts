/**
 * A delivery status notification for mail we sent: the failed addresses stop receiving mail and the
 * ticket the bounced mail belonged to gets an internal note, never reopening it. A report is acted on
 * only when it names a Message-ID of ours (MAC-verified or recorded), since anyone can write a DSN and
 * must not be able to silence a customer's address.
 */
import type { DeliveryReport } from '../../mail/inbound/delivery-report.ts';
import type { MailAddress, ParsedInboundMail } from '../../mail/inbound/parse-mail.ts';
import { getTicket } from '../../store/tickets/tickets.ts';
import { type LabelledItem, TransactionConflict, writeTransaction } from '../../store/transactions.ts';
import { updateTicket } from '../tickets/update-ticket.ts';
import { findOrCreateUserByEmail } from '../users/find-or-create-user.ts';
import type { InboundDelivery, InboundMailPorts } from './inbound-mail-context.ts';
import { markAddressUndeliverable } from './mail-suppression.ts';
import { ticketsNamedBy } from './thread-inbound-mail.ts';

export const recordDeliveryReport = async (input: {
  report: DeliveryReport;
  mail: ParsedInboundMail;
  sender: MailAddress;
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

  const ticket = ticketId === undefined ? undefined : await getTicket(ticketId);
  try {
    if (ticket && ticket.deleted_at === null && ticket.status !== 'closed' && addresses.length) {
      // The note's author is the reporting system's address: it never becomes a requester.
      const author = await findOrCreateUserByEmail(
        { email: input.sender.address, name: 'Mail delivery system' },
        now,
      );
      await updateTicket({
        caller: { userId: author.id, role: author.role, email: author.email ?? '' },
        ticketId: ticket.id,
        via: { channel: 'email', source: { from: { address: input.sender.address }, to: {}, rel: 'bounce' } },
        now: input.ports.now,
        fields: {},
        comment: {
          body: `Mail to ${addresses.join(', ')} could not be delivered.\n\n${report.summary}`,
          public: false,
          author_id: author.id,
          mail: {
            raw_mail_key: input.delivery.rawMailKey,
            message_id: mail.messageId ?? null,
            unverified_sender: false,
            truncated: false,
          },
        },
        alsoWrite: () => claims,
      });
    } else {
      await writeTransaction(claims);
    }
  } catch (error) {
    if (error instanceof TransactionConflict) return { kind: 'duplicate' };
    throw error;
  }
  return { kind: 'bounce_recorded', addresses, ticketId: ticketId ?? null };
};
