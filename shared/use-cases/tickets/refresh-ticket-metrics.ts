/**
 * Recomputes a ticket's metrics from its committed audits (consumer of ticket.created/updated);
 * business minutes count in the ticket's schedule.
 * Idempotent: the same history always gives the same metrics, and an older computation never
 * overwrites a newer one.
 */
import { isStaff } from '../../domain/directory/user.ts';
import { ticketClocks } from '../../domain/sla/business-clock.ts';
import { computeTicketMetrics } from '../../domain/tickets/ticket-metrics.ts';
import { getUsers } from '../../store/directory/users.ts';
import { readAllAudits, saveTicketMetrics } from '../../store/tickets/ticket-metrics.ts';
import { getTicket } from '../../store/tickets/tickets.ts';
import { scheduleForTicket } from '../business-hours/schedule-for-ticket.ts';

export const refreshTicketMetrics = async (ticketId: number): Promise<void> => {
  const ticket = await getTicket(ticketId);
  // A purged ticket has no metrics to keep; a deleted one keeps its last metrics until purged.
  if (!ticket || ticket.deleted_at !== null) return;
  const audits = await readAllAudits(ticketId);
  const commentAuthors = audits.flatMap((audit) =>
    audit.events.flatMap((event) => (event.type === 'Comment' ? [event.author_id] : [])),
  );
  const agents = new Set((await getUsers(commentAuthors)).filter(isStaff).map((user) => user.id));
  const businessClock = ticketClocks(await scheduleForTicket(ticket)).business;
  await saveTicketMetrics(
    computeTicketMetrics(ticket, audits, (userId) => agents.has(userId), businessClock.between),
  );
};
