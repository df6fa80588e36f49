/**
 * The events an audit stands for. The stream publisher derives them from the committed audit, so an
 * event exists exactly when its change was committed (transactional outbox).
 */
import type { Audit } from '../domain/tickets/ticket.ts';
import type { OutgoingEvent } from './event-bus.ts';
import {
  type CommentAddedDetail,
  TICKET_EVENT_SOURCE,
  TICKET_EVENT_VERSION,
  type TicketCreatedDetail,
  type TicketUpdatedDetail,
} from './ticket-events.ts';

/** A creation audit records every initial field with `Create` events (status always among them). */
export const isCreationAudit = (audit: Audit): boolean =>
  audit.events.some((event) => event.type === 'Create');

export const ticketEventsFromAudit = (audit: Audit): OutgoingEvent[] => {
  const base = {
    version: TICKET_EVENT_VERSION,
    ticket_id: audit.ticket_id,
    audit_id: audit.id,
    author_id: audit.author_id,
    via: audit.via,
    created_at: audit.created_at,
  } as const;
  const event = (detailType: string, detail: unknown): OutgoingEvent => ({
    source: TICKET_EVENT_SOURCE,
    detailType,
    detail,
    time: audit.created_at,
  });

  const events: OutgoingEvent[] = [];
  if (isCreationAudit(audit)) {
    const detail: TicketCreatedDetail = {
      ...base,
      changes: audit.events.flatMap((e) =>
        e.type === 'Create' ? [{ field: e.field_name, previous: null, value: e.value }] : [],
      ),
    };
    events.push(event('ticket.created', detail));
  } else {
    const detail: TicketUpdatedDetail = {
      ...base,
      changes: audit.events.flatMap((e) =>
        e.type === 'Change' ? [{ field: e.field_name, previous: e.previous_value, value: e.value }] : [],
      ),
    };
    events.push(event('ticket.updated', detail));
  }
  for (const comment of audit.events) {
    if (comment.type !== 'Comment') continue;
    const detail: CommentAddedDetail = { ...base, comment_id: comment.id, public: comment.public };
    events.push(event('comment.added', detail));
  }
  return events;
};
