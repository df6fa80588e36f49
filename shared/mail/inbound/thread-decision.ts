/**
 * Which ticket an inbound mail belongs to, in the order: a Message-ID we generated (MAC
 * verified) or one recorded for a ticket, anywhere in In-Reply-To/References; then a reply-address
 * token; else a new ticket. A subject's "[#123]" is not an input here, on purpose.
 */
export type ThreadDecision =
  | { kind: 'existing'; ticketId: number; by: 'own_message_id' | 'recorded_message_id' | 'reply_address' }
  | { kind: 'new' };

export interface ThreadEvidence {
  /** Tickets named by our own, MAC-verified Message-IDs, newest reference last. */
  ownMessageTickets: readonly number[];
  /** Tickets of ids found in the message-id index, newest reference last. */
  recordedMessageTickets: readonly number[];
  replyAddressTicket: number | undefined;
}

export const decideThread = (evidence: ThreadEvidence): ThreadDecision => {
  const own = evidence.ownMessageTickets.at(-1);
  if (own !== undefined) return { kind: 'existing', ticketId: own, by: 'own_message_id' };
  const recorded = evidence.recordedMessageTickets.at(-1);
  if (recorded !== undefined) return { kind: 'existing', ticketId: recorded, by: 'recorded_message_id' };
  if (evidence.replyAddressTicket !== undefined) {
    return { kind: 'existing', ticketId: evidence.replyAddressTicket, by: 'reply_address' };
  }
  return { kind: 'new' };
};
