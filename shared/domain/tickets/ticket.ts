/** Tickets, comments and audits as Zendesk models them (zendesk-api.md §2). */
import type { TicketSatisfaction } from '../csat/satisfaction.ts';
import type { SatisfactionScore } from '../rules/rule-context.ts';
import type { SlaMetric } from '../sla/sla-timers.ts';

export const TICKET_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_TYPES = ['problem', 'incident', 'question', 'task'] as const;

export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export type TicketType = (typeof TICKET_TYPES)[number];

export type Channel = 'api' | 'web' | 'email' | 'rule' | 'system';

export interface Via {
  channel: Channel;
  source: { from: Record<string, unknown>; to: Record<string, unknown>; rel: string | null };
}

export interface CustomFieldValue {
  id: number;
  value: unknown;
}

export interface Ticket {
  id: number;
  external_id: string | null;
  subject: string | null;
  /** Read-only: the first comment's plain text. */
  description: string;
  status: TicketStatus;
  priority: TicketPriority | null;
  type: TicketType | null;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  group_id: number | null;
  organization_id: number | null;
  collaborator_ids: number[];
  follower_ids: number[];
  email_cc_ids: number[];
  tags: string[];
  custom_fields: CustomFieldValue[];
  due_at: string | null;
  problem_id: number | null;
  /** The ticket form it was opened or moved to (the default form when none was named), if any. */
  ticket_form_id: number | null;
  followup_source_id: number | null;
  /** Random, unguessable token of the ticket's reply address (`support+<token>@domain`); never shown in the API. */
  reply_token: string | null;
  via: Via;
  /** False when the ticket has no public comment (it was opened with an internal note). */
  is_public: boolean;
  /**
   * True once any SLA metric of the ticket breached (set by the breach check, audited as a Change);
   * it stays true for the ticket's life: a missed target stays missed after a later reply.
   */
  sla_breached: boolean;
  /** CSAT state (shared/domain/csat); absent on tickets stored before CSAT, which read unoffered. */
  satisfaction_rating?: TicketSatisfaction;
  /** What triggers compare and audits record (`good_with_comment`…), derived from satisfaction_rating. */
  satisfaction_score?: SatisfactionScore;
  created_at: string;
  updated_at: string;
  /** Soft deletion time; deleted tickets leave every list but /deleted_tickets and are purged later. */
  deleted_at: string | null;
  version: number;
}

export interface Attachment {
  id: number;
  file_name: string;
  content_url: string;
  content_type: string;
  size: number;
  /** An image the mail's HTML shows in place (a `cid:` reference), rather than a listed attachment. */
  inline?: boolean;
}

/** Where a comment made from inbound mail came from; absent on comments made any other way. */
export interface CommentMailOrigin {
  /** Blob key of the raw mail, served to staff as the comment's original email. */
  raw_mail_key: string;
  message_id: string | null;
  /** The From address failed authentication or is not on the ticket: kept as an internal note only. */
  unverified_sender: boolean;
  /** Parser limits (size, parts, nesting, header length) cut the mail: the comment holds what was read. */
  truncated: boolean;
  /** A machine sent it (auto-submitted, bulk, list or no-reply mail): no automatic mail answers it. */
  automated?: true;
}

export interface Comment {
  id: number;
  ticket_id: number;
  type: 'Comment';
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  public: boolean;
  attachments: Attachment[];
  audit_id: number;
  via: Via;
  created_at: string;
  mail?: CommentMailOrigin;
}

export type AuditEvent =
  | { id: number; type: 'Create'; field_name: string; value: unknown }
  | { id: number; type: 'Change'; field_name: string; value: unknown; previous_value: unknown }
  | ({ type: 'Comment' } & Omit<Comment, 'type' | 'ticket_id' | 'via' | 'created_at'>)
  | NotificationEvent
  | ExternalEvent
  | SlaBreachEvent
  | MacroReferenceEvent
  | RuleFailureEvent;

/**
 * Whether an update's events change the ticket (a field or a comment). An audit of only notices (a
 * rule's mail or webhook call, its failure) does not: `updated_at` stays, and no `ticket.updated` is
 * published, so the consumers that follow ticket changes do not run again for a trigger's mail.
 */
export const changesTicket = (events: readonly AuditEvent[]): boolean =>
  events.some((event) => event.type === 'Comment' || event.type === 'Change');

/** A rule that failed while it ran (`via` names it): reported on the ticket, the other rules still ran. */
export interface RuleFailureEvent {
  id: number;
  type: 'RuleFailure';
  message: string;
  via: Via;
}

/** The macro an agent applied to make this update (Zendesk's `AgentMacroReference`, from `macro_id`). */
export interface MacroReferenceEvent {
  id: number;
  type: 'AgentMacroReference';
  macro_id: number;
  macro_title: string;
}

/**
 * Mail a rule sent (Zendesk's `Notification` audit event): text already rendered with the ticket as
 * the rule left it, recipients already resolved to user ids. The audit commit is the outbox: the
 * publisher turns it into `notification.requested`, and the mail goes out from there.
 */
export interface NotificationEvent {
  id: number;
  type: 'Notification';
  subject: string;
  body: string;
  recipients: number[];
  /** The rule that sent it (`via.source.from` names it). */
  via: Via;
  /** The public comment of the update that set the rule off, mailed with the notification. */
  comment_id?: number;
}

/** A webhook call a rule made (Zendesk's `External` audit event); `resource` is the webhook id. */
export interface ExternalEvent {
  id: number;
  type: 'External';
  resource: string;
  body: string;
  via: Via;
}

/**
 * An SLA target the ticket missed (a Relaydesk audit event): the audit commit is the outbox, so the
 * publisher turns it into `sla.breached`. `instance_id` is the metric instance, as in metric events.
 */
export interface SlaBreachEvent {
  id: number;
  type: 'SlaBreach';
  metric: SlaMetric;
  instance_id: number;
  breach_at: string;
  /** The ticket's priority when it breached (the metric's target depends on it). */
  priority: TicketPriority | null;
}

export interface Audit {
  id: number;
  ticket_id: number;
  /** The updater (the authenticated caller or the rule), which may differ from a comment's author. */
  author_id: number;
  created_at: string;
  via: Via;
  metadata: { system: Record<string, unknown>; custom: Record<string, unknown> };
  events: AuditEvent[];
}

export const apiVia = (): Via => ({ channel: 'api', source: { from: {}, to: {}, rel: null } });
export const webVia = (): Via => ({ channel: 'web', source: { from: {}, to: {}, rel: null } });

/**
 * Event ids are derived from their audit's id (audit id × 1000 + position) instead of a third counter:
 * audit ids are unique, so event and comment ids are too, and a ticket write costs one counter update.
 */
export const MAX_EVENTS_PER_AUDIT = 1000;
export const eventId = (auditId: number, position: number): number =>
  auditId * MAX_EVENTS_PER_AUDIT + position + 1;
