/** Soft-deletes a ticket (DELETE /tickets/{id}); closed tickets may be deleted too, as in Zendesk. */
import { UpdateConflictError } from '../../domain/errors.ts';
import { planTicketDeletion } from '../../domain/tickets/plan-ticket-write.ts';
import type { Via } from '../../domain/tickets/ticket.ts';
import { allocateAuditId, TicketVersionConflict, writeTicket } from '../../store/tickets/tickets.ts';
import { readLiveTicket } from './update-ticket.ts';

export const deleteTicket = async (command: { ticketId: number; actorId: number; via: Via; now: string }) => {
  const current = await readLiveTicket(command.ticketId);
  const plan = planTicketDeletion(current, {
    auditId: await allocateAuditId(),
    now: command.now,
    actorId: command.actorId,
    via: command.via,
  });
  try {
    await writeTicket({ ...plan, expectedVersion: current.version });
  } catch (error) {
    if (error instanceof TicketVersionConflict) throw new UpdateConflictError();
    throw error;
  }
};
