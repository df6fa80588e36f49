/** What a requester may do with their own ticket through the Requests API (Zendesk's rules). */
import type { Ticket } from './ticket.ts';

/** A requester may mark their own request solved once an agent is on it and it is not yet solved. */
export const canBeSolvedByRequester = (ticket: Ticket): boolean =>
  ticket.assignee_id !== null && ticket.status !== 'solved' && ticket.status !== 'closed';
