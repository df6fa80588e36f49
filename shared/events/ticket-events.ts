/**
 * Ticket event contracts: the names, versions and zod schemas shared by the stream publisher (producer)
 * and every consumer. A consumer parses `detail` with the schema for its detail-type before acting.
 */
import * as z from 'zod';
import { TICKET_EVENT_SOURCE } from '../../infra/topology.ts';
import { SLA_METRICS } from '../domain/sla/sla-timers.ts';
import { TICKET_PRIORITIES } from '../domain/tickets/ticket.ts';

export { TICKET_EVENT_SOURCE };

export const TICKET_EVENT_VERSION = 1;

const via = z.object({ channel: z.string(), source: z.record(z.string(), z.unknown()).optional() });

const fieldChange = z.object({
  field: z.string(),
  previous: z.unknown(),
  value: z.unknown(),
});

const ticketEventBase = {
  version: z.literal(TICKET_EVENT_VERSION),
  ticket_id: z.number().int().positive(),
  audit_id: z.number().int().positive(),
  author_id: z.number().int().nonnegative(),
  via,
  created_at: z.string(),
};

export const ticketCreatedDetail = z.object({
  ...ticketEventBase,
  /** Every field set at creation, as `{field, previous: null, value}`. */
  changes: z.array(fieldChange),
});

export const ticketUpdatedDetail = z.object({
  ...ticketEventBase,
  /** Only the fields this audit changed. Empty when the audit only added a comment. */
  changes: z.array(fieldChange),
});

export const commentAddedDetail = z.object({
  ...ticketEventBase,
  comment_id: z.number().int().positive(),
  public: z.boolean(),
});

/** A rule's mail (an audit `Notification` event) waiting to go out; the consumer reads the event. */
export const notificationRequestedDetail = z.object({
  ...ticketEventBase,
  event_id: z.number().int().positive(),
});

/** A rule's webhook call (an audit `External` event) waiting to be delivered. */
export const webhookRequestedDetail = z.object({
  ...ticketEventBase,
  event_id: z.number().int().positive(),
  webhook_id: z.string().min(1),
});

/** An SLA target the ticket missed (an audit `SlaBreach` event): for escalations and integrations. */
export const slaBreachedDetail = z.object({
  ...ticketEventBase,
  event_id: z.number().int().positive(),
  metric: z.enum(SLA_METRICS),
  instance_id: z.number().int().positive(),
  breach_at: z.string(),
  priority: z.enum(TICKET_PRIORITIES).nullable(),
});

export const ticketEventSchemas = {
  'ticket.created': ticketCreatedDetail,
  'ticket.updated': ticketUpdatedDetail,
  'comment.added': commentAddedDetail,
  'notification.requested': notificationRequestedDetail,
  'webhook.requested': webhookRequestedDetail,
  'sla.breached': slaBreachedDetail,
} as const;

export type TicketEventType = keyof typeof ticketEventSchemas;
export type TicketCreatedDetail = z.infer<typeof ticketCreatedDetail>;
export type TicketUpdatedDetail = z.infer<typeof ticketUpdatedDetail>;
export type CommentAddedDetail = z.infer<typeof commentAddedDetail>;
export type NotificationRequestedDetail = z.infer<typeof notificationRequestedDetail>;
export type WebhookRequestedDetail = z.infer<typeof webhookRequestedDetail>;
export type SlaBreachedDetail = z.infer<typeof slaBreachedDetail>;

/** The envelope EventBridge delivers to an SQS target, as consumers receive it in a message body. */
export const eventBridgeEnvelope = z.object({
  id: z.string(),
  source: z.string(),
  'detail-type': z.string(),
  time: z.string(),
  detail: z.unknown(),
});
export type EventBridgeEnvelope = z.infer<typeof eventBridgeEnvelope>;
