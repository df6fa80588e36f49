/**
 * The events an audit stands for. The stream publisher derives them from the committed audit, so an
 * event exists exactly when its change was committed (transactional outbox).
 */
import { type Audit, changesTicket } from '../domain/tickets/ticket.ts';
import type { OutgoingEvent } from './event-bus.ts';
import {
  type CommentAddedDetail,
  type NotificationRequestedDetail,
  type SlaBreachedDetail,
  TICKET_EVENT_SOURCE,
  TICKET_EVENT_VERSION,
  type TicketCreatedDetail,
  type TicketUpdatedDetail,
  type WebhookRequestedDetail,
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
  } else if (changesTicket(audit.events)) {
    const detail: TicketUpdatedDetail = {
      ...base,
      changes: audit.events.flatMap((e) =>
        e.type === 'Change' ? [{ field: e.field_name, previous: e.previous_value, value: e.value }] : [],
      ),
    };
    events.push(event('ticket.updated', detail));
  }
  for (const auditEvent of audit.events) {
    if (auditEvent.type === 'Comment') {
      const detail: CommentAddedDetail = { ...base, comment_id: auditEvent.id, public: auditEvent.public };
      events.push(event('comment.added', detail));
    } else if (auditEvent.type === 'Notification') {
      const detail: NotificationRequestedDetail = { ...base, event_id: auditEvent.id };
      events.push(event('notification.requested', detail));
    } else if (auditEvent.type === 'External') {
      const detail: WebhookRequestedDetail = {
        ...base,
        event_id: auditEvent.id,
        webhook_id: auditEvent.resource,
      };
      events.push(event('webhook.requested', detail));
    } else if (auditEvent.type === 'SlaBreach') {
      const detail: SlaBreachedDetail = {
        ...base,
        event_id: auditEvent.id,
        metric: auditEvent.metric,
        instance_id: auditEvent.instance_id,
        breach_at: auditEvent.breach_at,
        priority: auditEvent.priority,
      };
      events.push(event('sla.breached', detail));
    }
  }
  return events;
};
