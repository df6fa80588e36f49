/**
 * The ticket status machine (zendesk-api.md §2.6): nothing returns to `new`, assigning a new ticket
 * opens it, solving needs an assignee, an end-user's comment on pending/hold/solved reopens it, and
 * `closed` is terminal (checked by the caller before any change is planned).
 */
import { ValidationError } from '../errors.ts';
import type { TicketStatus } from './ticket.ts';

export interface StatusContext {
  current: TicketStatus | undefined;
  requested: TicketStatus | undefined;
  assigneeId: number | null;
  /** A public comment from the requester's side (an end-user) is part of this change. */
  endUserCommented: boolean;
}

export const resolveStatus = ({
  current,
  requested,
  assigneeId,
  endUserCommented,
}: StatusContext): TicketStatus => {
  let status: TicketStatus = requested ?? current ?? 'new';
  if (
    requested === undefined &&
    endUserCommented &&
    (status === 'pending' || status === 'hold' || status === 'solved')
  ) {
    status = 'open';
  }
  if (status === 'new' && current !== undefined && current !== 'new') {
    throw ValidationError.field('status', 'Status: cannot be changed back to new');
  }
  if (status === 'new' && assigneeId !== null) status = 'open';
  if ((status === 'solved' || status === 'closed') && assigneeId === null) {
    throw ValidationError.field('status', `Status: ${status} tickets need an assignee`);
  }
  if (status === 'closed' && current !== 'closed' && current !== 'solved') {
    throw ValidationError.field('status', 'Status: only solved tickets can be closed');
  }
  return status;
};

export const CLOSED_TICKET_ERROR = (): ValidationError =>
  ValidationError.field('status', 'Status: closed prevents ticket update', 'ClosedTicket');
