/** Soft-deletes a ticket (DELETE /tickets/{id}); closed tickets may be deleted too, as in Zendesk. */
import { UpdateConflictError } from '../../domain/errors.ts';
import { planTicketDeletion } from '../../domain/tickets/plan-ticket-write.ts';
import type { Via } from '../../domain/tickets/ticket.ts';
import { allocateAuditId, TicketVersionConflict, writeTicket } from '../../store/tickets/tickets.ts';
import { readLiveTicket } from './update-ticket.ts';

/** Rules, SLA and survey consumers write tickets right after every change; a delete outlasts them. */
const MAX_ATTEMPTS = 5;

export const deleteTicket = async (command: { ticketId: number; actorId: number; via: Via; now: string }) => {
  for (let attempt = 1; ; attempt++) {
    const current = await readLiveTicket(command.ticketId);
    const plan = planTicketDeletion(current, {
      auditId: await allocateAuditId(),
      now: command.now,
      actorId: command.actorId,
      via: command.via,
    });
    try {
      await writeTicket({ ...plan, expectedVersion: current.version });
      return;
    } catch (error) {
      if (!(error instanceof TicketVersionConflict)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new UpdateConflictError();
    }
  }
};
