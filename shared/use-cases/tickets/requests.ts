/**
 * The Requests API's rules (an end-user's view of their own tickets, zendesk-api.md §11): a request is
 * visible only to its requester (anything else is 404, never 403, so ids reveal nothing), comments on
 * it are always public, and the requester may mark it solved once an agent is on it.
 */
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { canBeSolvedByRequester } from '../../domain/tickets/requester-rules.ts';
import type { Ticket } from '../../domain/tickets/ticket.ts';
import type { Caller } from '../../http/caller.ts';
import { readLiveTicket } from './update-ticket.ts';

export const assertOwnRequest = (caller: Caller, ticket: Ticket): void => {
  if (ticket.requester_id !== caller.userId) throw new NotFoundError();
};

export const readOwnRequest = async (caller: Caller, ticketId: number): Promise<Ticket> => {
  const ticket = await readLiveTicket(ticketId);
  assertOwnRequest(caller, ticket);
  return ticket;
};

export const assertCanSolve = (ticket: Ticket): void => {
  if (!canBeSolvedByRequester(ticket)) {
    if (ticket.status === 'solved' || ticket.status === 'closed') return;
    throw new ForbiddenError('This request cannot be marked solved until an agent is assigned');
  }
};

export const requireSomeChange = (input: {
  comment?: unknown;
  solved?: boolean;
  additional_collaborators?: unknown;
  custom_fields?: unknown;
}) => {
  if (
    input.comment === undefined &&
    input.solved === undefined &&
    input.additional_collaborators === undefined &&
    input.custom_fields === undefined
  ) {
    throw ValidationError.field('base', 'Request: nothing to change');
  }
};
