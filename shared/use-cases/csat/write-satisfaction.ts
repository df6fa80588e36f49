/**
 * Writes a ticket's satisfaction state (and whatever must commit with it) as one audited ticket
 * change, rereading and replanning when the ticket changed in between: the answer or the offer is
 * still wanted on the newer version.
 */
import type { TicketSatisfaction } from '../../domain/csat/satisfaction.ts';
import { planSatisfactionChange } from '../../domain/tickets/plan-ticket-write.ts';
import type { Ticket, Via } from '../../domain/tickets/ticket.ts';
import {
  allocateAuditId,
  getTicket,
  TicketVersionConflict,
  writeTicket,
} from '../../store/tickets/tickets.ts';
import type { LabelledItem } from '../../store/transactions.ts';

const MAX_ATTEMPTS = 5;

export interface SatisfactionWrite {
  ticketId: number;
  actorId: number;
  via: Via;
  now: string;
  /** The new state given the ticket as read; undefined leaves the ticket alone. */
  next: (ticket: Ticket) => TicketSatisfaction | undefined;
  /** Items that commit with the ticket change (the rating, the offer's score). */
  alsoWrite?: (ticket: Ticket) => readonly LabelledItem[];
}

export const writeSatisfaction = async (write: SatisfactionWrite): Promise<Ticket | undefined> => {
  for (let attempt = 1; ; attempt++) {
    const ticket = await getTicket(write.ticketId);
    if (!ticket || ticket.deleted_at !== null) return undefined;
    const satisfaction = write.next(ticket);
    const plan = satisfaction
      ? planSatisfactionChange(ticket, satisfaction, {
          auditId: await allocateAuditId(),
          now: write.now,
          actorId: write.actorId,
          via: write.via,
        })
      : undefined;
    if (!plan) return ticket;
    try {
      await writeTicket({ ...plan, expectedVersion: ticket.version, alsoWrite: write.alsoWrite?.(ticket) });
      return plan.ticket;
    } catch (error) {
      if (!(error instanceof TicketVersionConflict) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
};
