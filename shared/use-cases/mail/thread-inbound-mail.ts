/**
 * Gathers the evidence for threading (our MAC-verified Message-IDs, ids recorded for tickets, reply
 * address tokens) and lets the pure decision pick the ticket.
 */
import { replyTokenFrom } from '../../mail/addresses.ts';
import { MAX_RECIPIENTS_CHECKED, MAX_THREAD_IDS } from '../../mail/inbound/mail-limits.ts';
import { decideThread, type ThreadDecision } from '../../mail/inbound/thread-decision.ts';
import { ticketIdFromOwnMessageId } from '../../mail/message-ids.ts';
import { findThreadedMessages } from '../../store/tickets/mail-threads.ts';
import { findTicketIdByReplyToken } from '../../store/tickets/tickets.ts';

/** Tickets the given Message-IDs name, in the order given: our own ids first by MAC, then the index. */
export const ticketsNamedBy = async (
  messageIds: readonly string[],
  secret: string,
): Promise<{ own: number[]; recorded: number[] }> => {
  const ids = messageIds.slice(-MAX_THREAD_IDS);
  const own: number[] = [];
  const others: string[] = [];
  for (const id of ids) {
    const ticketId = ticketIdFromOwnMessageId(id, secret);
    if (ticketId === undefined) others.push(id);
    else own.push(ticketId);
  }
  const found = new Map(
    (await findThreadedMessages(others)).map((message) => [
      message.messageId.toLowerCase(),
      message.ticketId,
    ]),
  );
  const recorded = others.flatMap((id) => {
    const ticketId = found.get(id.toLowerCase());
    return ticketId === undefined ? [] : [ticketId];
  });
  return { own, recorded };
};

export const threadInboundMail = async (input: {
  threadIds: readonly string[];
  recipients: readonly string[];
  secret: string;
}): Promise<ThreadDecision> => {
  const { own, recorded } = await ticketsNamedBy(input.threadIds, input.secret);
  let replyAddressTicket: number | undefined;
  if (own.length === 0 && recorded.length === 0) {
    for (const recipient of input.recipients.slice(0, MAX_RECIPIENTS_CHECKED)) {
      const token = replyTokenFrom(recipient);
      if (!token) continue;
      replyAddressTicket = await findTicketIdByReplyToken(token);
      if (replyAddressTicket !== undefined) break;
    }
  }
  return decideThread({ ownMessageTickets: own, recordedMessageTickets: recorded, replyAddressTicket });
};
