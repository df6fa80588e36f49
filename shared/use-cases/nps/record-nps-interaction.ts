/**
 * Keeps each end-user's "last interaction" current for the NPS selection (consumer of ticket.created
 * and ticket.updated). Interacting means: requesting a ticket that changed, or changing or commenting
 * on one yourself (a CC's reply). Staff are not surveyed, so only end-users are recorded. Redelivery and
 * out-of-order events are harmless: the time only moves forward.
 */
import { getUsers } from '../../store/directory/users.ts';
import { recordInteraction } from '../../store/nps/nps-people.ts';
import { getTicket } from '../../store/tickets/tickets.ts';

export const recordNpsInteraction = async (event: {
  ticketId: number;
  authorId: number;
  at: string;
}): Promise<number[]> => {
  const ticket = await getTicket(event.ticketId);
  if (!ticket) return [];
  const people = await getUsers([ticket.requester_id, event.authorId]);
  const recorded: number[] = [];
  for (const person of people.filter((user) => user.role === 'end-user')) {
    if (await recordInteraction(person.id, event.at)) recorded.push(person.id);
  }
  return recorded;
};
