/**
 * Plans a ticket write as Zendesk records it: the new ticket state, the comment (if any) and one audit
 * whose events say what changed. Pure: ids, time and the acting user come in as arguments, and
 * references (requester, assignee, group) arrive already checked by the use case.
 */
import { ruleSatisfactionScore, type TicketSatisfaction } from '../csat/satisfaction.ts';
import { ValidationError } from '../errors.ts';
import { normalizeTags } from '../tags.ts';
import { commentBodies } from './comment-body.ts';
import { CLOSED_TICKET_ERROR, resolveStatus } from './status.ts';
import {
  type Attachment,
  type Audit,
  type AuditEvent,
  type Comment,
  type CommentMailOrigin,
  type CustomFieldValue,
  changesTicket,
  type ExternalEvent,
  eventId,
  type NotificationEvent,
  type RuleFailureEvent,
  type SlaBreachEvent,
  type Ticket,
  type TicketPriority,
  type TicketStatus,
  type TicketType,
  type Via,
} from './ticket.ts';

export interface CommentInput {
  body?: string | undefined;
  html_body?: string | undefined;
  public: boolean;
  author_id: number;
  /** The author is an end-user: a public comment from them reopens a pending/hold/solved ticket. */
  authorIsEndUser: boolean;
  /** Files already stored (inbound mail); the API has no upload yet. */
  attachments?: Attachment[] | undefined;
  mail?: CommentMailOrigin | undefined;
}

/** Writable ticket fields, already validated and with references resolved. */
export interface TicketFieldChanges {
  subject?: string | null;
  status?: TicketStatus;
  priority?: TicketPriority | null;
  type?: TicketType | null;
  requester_id?: number;
  assignee_id?: number | null;
  group_id?: number | null;
  organization_id?: number | null;
  tags?: string[];
  additional_tags?: string[];
  remove_tags?: string[];
  custom_fields?: CustomFieldValue[];
  external_id?: string | null;
  collaborator_ids?: number[];
  due_at?: string | null;
  problem_id?: number | null;
  ticket_form_id?: number | null;
}

export interface WriteContext {
  auditId: number;
  now: string;
  /** The authenticated updater: the audit's author, whatever the comment's displayed author. */
  actorId: number;
  via: Via;
  metadata?: Record<string, unknown>;
}

export interface TicketWritePlan {
  ticket: Ticket;
  comment?: Comment;
  audit: Audit;
}

/** Fields recorded in audits, in the order Zendesk lists them. */
const AUDITED_FIELDS = [
  'subject',
  'status',
  'priority',
  'type',
  'requester_id',
  'assignee_id',
  'group_id',
  'organization_id',
  'tags',
  'collaborator_ids',
  'due_at',
  'problem_id',
  'ticket_form_id',
  'external_id',
] as const satisfies readonly (keyof Ticket)[];

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const nextTags = (current: string[], changes: TicketFieldChanges): string[] => {
  let tags = changes.tags !== undefined ? normalizeTags(changes.tags) : current;
  if (changes.additional_tags) tags = normalizeTags([...tags, ...changes.additional_tags]);
  if (changes.remove_tags) {
    const removed = new Set(normalizeTags(changes.remove_tags));
    tags = tags.filter((tag) => !removed.has(tag));
  }
  return tags;
};

const mergeCustomFields = (
  current: CustomFieldValue[],
  changes: CustomFieldValue[] | undefined,
): CustomFieldValue[] => {
  if (!changes) return current;
  const merged = new Map(current.map((field) => [field.id, field.value]));
  for (const field of changes) merged.set(field.id, field.value);
  return [...merged].map(([id, value]) => ({ id, value })).sort((a, b) => a.id - b.id);
};

const buildComment = (
  input: CommentInput,
  ticketId: number,
  context: WriteContext,
  position: number,
): Comment => {
  const bodies = commentBodies(input);
  if (!bodies.body) throw ValidationError.field('comment', 'Comment: cannot be blank');
  return {
    id: eventId(context.auditId, position),
    ticket_id: ticketId,
    type: 'Comment',
    author_id: input.author_id,
    ...bodies,
    public: input.public,
    attachments: input.attachments ?? [],
    audit_id: context.auditId,
    via: context.via,
    created_at: context.now,
    ...(input.mail ? { mail: input.mail } : {}),
  };
};

const commentEvent = (comment: Comment): AuditEvent => ({
  id: comment.id,
  type: 'Comment',
  author_id: comment.author_id,
  body: comment.body,
  html_body: comment.html_body,
  plain_body: comment.plain_body,
  public: comment.public,
  attachments: comment.attachments,
  audit_id: comment.audit_id,
});

const audit = (ticketId: number, context: WriteContext, events: AuditEvent[]): Audit => ({
  id: context.auditId,
  ticket_id: ticketId,
  author_id: context.actorId,
  created_at: context.now,
  via: context.via,
  metadata: { system: {}, custom: context.metadata ?? {} },
  events,
});

export interface NewTicketInput extends TicketFieldChanges {
  id: number;
  requester_id: number;
  submitter_id: number;
  comment: CommentInput;
  followup_source_id?: number | null;
  /** Random token for the ticket's reply address (the use case draws it). */
  reply_token?: string | null;
}

export const planNewTicket = (input: NewTicketInput, context: WriteContext): TicketWritePlan => {
  const comment = buildComment(input.comment, input.id, context, 0);
  const assigneeId = input.assignee_id ?? null;
  const ticket: Ticket = {
    id: input.id,
    external_id: input.external_id ?? null,
    subject: input.subject ?? null,
    description: comment.plain_body,
    status: resolveStatus({
      current: undefined,
      requested: input.status,
      assigneeId,
      endUserCommented: false,
    }),
    priority: input.priority ?? null,
    type: input.type ?? null,
    requester_id: input.requester_id,
    submitter_id: input.submitter_id,
    assignee_id: assigneeId,
    group_id: input.group_id ?? null,
    organization_id: input.organization_id ?? null,
    collaborator_ids: [...new Set(input.collaborator_ids ?? [])],
    follower_ids: [],
    email_cc_ids: [],
    tags: nextTags([], input),
    custom_fields: mergeCustomFields([], input.custom_fields),
    due_at: input.due_at ?? null,
    problem_id: input.problem_id ?? null,
    ticket_form_id: input.ticket_form_id ?? null,
    followup_source_id: input.followup_source_id ?? null,
    reply_token: input.reply_token ?? null,
    via: context.via,
    is_public: comment.public,
    sla_breached: false,
    created_at: context.now,
    updated_at: context.now,
    deleted_at: null,
    version: 1,
  };
  const events: AuditEvent[] = [commentEvent(comment)];
  for (const field of AUDITED_FIELDS) {
    const value = ticket[field];
    if (value === null || (Array.isArray(value) && value.length === 0)) continue;
    events.push({ id: eventId(context.auditId, events.length), type: 'Create', field_name: field, value });
  }
  for (const field of ticket.custom_fields) {
    events.push({
      id: eventId(context.auditId, events.length),
      type: 'Create',
      field_name: String(field.id),
      value: field.value,
    });
  }
  return { ticket, comment, audit: audit(ticket.id, context, events) };
};

/** A rule's mail or webhook call, recorded on the audit; ids are assigned when the audit is planned. */
export type RuleNoticeInput =
  | Omit<NotificationEvent, 'id'>
  | Omit<ExternalEvent, 'id'>
  | Omit<RuleFailureEvent, 'id'>;

export interface TicketChangeInput extends TicketFieldChanges {
  comment?: CommentInput;
  /** Rule notifications and webhook calls: an audit holding only these is still written. */
  notices?: readonly RuleNoticeInput[];
  /** SLA targets just missed: they set `sla_breached` and are recorded as `SlaBreach` events. */
  slaBreaches?: readonly Omit<SlaBreachEvent, 'id'>[];
  /** The macro the update came from; recorded only on an update that changes something. */
  macro?: { id: number; title: string };
  /** A rule's survey offer: the new CSAT state, audited as a `satisfaction_score` change. */
  satisfaction?: TicketSatisfaction;
}

/** Plans an update; undefined when it would change nothing (no audit is written, updated_at stays). */
export const planTicketChange = (
  current: Ticket,
  changes: TicketChangeInput,
  context: WriteContext,
): TicketWritePlan | undefined => {
  if (current.status === 'closed') throw CLOSED_TICKET_ERROR();
  const comment = changes.comment ? buildComment(changes.comment, current.id, context, 0) : undefined;
  const assigneeId = changes.assignee_id !== undefined ? changes.assignee_id : current.assignee_id;
  // Tickets stored before the field existed lack it: they were never marked breached.
  const wasBreached = current.sla_breached === true;
  const next: Ticket = {
    ...current,
    subject: changes.subject !== undefined ? changes.subject : current.subject,
    priority: changes.priority !== undefined ? changes.priority : current.priority,
    type: changes.type !== undefined ? changes.type : current.type,
    requester_id: changes.requester_id ?? current.requester_id,
    assignee_id: assigneeId,
    group_id: changes.group_id !== undefined ? changes.group_id : current.group_id,
    organization_id:
      changes.organization_id !== undefined ? changes.organization_id : current.organization_id,
    tags: nextTags(current.tags, changes),
    custom_fields: mergeCustomFields(current.custom_fields, changes.custom_fields),
    external_id: changes.external_id !== undefined ? changes.external_id : current.external_id,
    collaborator_ids: changes.collaborator_ids
      ? [...new Set(changes.collaborator_ids)]
      : current.collaborator_ids,
    due_at: changes.due_at !== undefined ? changes.due_at : current.due_at,
    problem_id: changes.problem_id !== undefined ? changes.problem_id : current.problem_id,
    ticket_form_id: changes.ticket_form_id !== undefined ? changes.ticket_form_id : current.ticket_form_id,
    status: resolveStatus({
      current: current.status,
      requested: changes.status,
      assigneeId,
      endUserCommented: Boolean(changes.comment?.public && changes.comment.authorIsEndUser),
    }),
    sla_breached: wasBreached || Boolean(changes.slaBreaches?.length),
    ...(changes.satisfaction ? satisfactionFields(changes.satisfaction) : {}),
  };

  const events: AuditEvent[] = comment ? [commentEvent(comment)] : [];
  for (const field of AUDITED_FIELDS) {
    if (sameValue(current[field], next[field])) continue;
    events.push({
      id: eventId(context.auditId, events.length),
      type: 'Change',
      field_name: field,
      value: next[field],
      previous_value: current[field],
    });
  }
  const previousFields = new Map(current.custom_fields.map((field) => [field.id, field.value]));
  for (const field of next.custom_fields) {
    const previous = previousFields.get(field.id) ?? null;
    if (sameValue(previous, field.value)) continue;
    events.push({
      id: eventId(context.auditId, events.length),
      type: 'Change',
      field_name: String(field.id),
      value: field.value,
      previous_value: previous,
    });
  }
  // Not among AUDITED_FIELDS: a new ticket is never breached, so creation audits leave it out.
  if (next.sla_breached !== wasBreached) {
    events.push({
      id: eventId(context.auditId, events.length),
      type: 'Change',
      field_name: 'sla_breached',
      value: next.sla_breached,
      previous_value: wasBreached,
    });
  }
  const satisfactionChange = satisfactionEvent(current, next, context, events.length);
  if (satisfactionChange) events.push(satisfactionChange);
  for (const notice of changes.notices ?? []) {
    events.push({ ...notice, id: eventId(context.auditId, events.length) } as AuditEvent);
  }
  for (const breach of changes.slaBreaches ?? []) {
    events.push({ ...breach, id: eventId(context.auditId, events.length) });
  }
  if (events.length === 0) return undefined;
  if (changes.macro) {
    events.push({
      id: eventId(context.auditId, events.length),
      type: 'AgentMacroReference',
      macro_id: changes.macro.id,
      macro_title: changes.macro.title,
    });
  }
  // An agent's safe_update stamp must not go stale because a trigger sent mail.
  const ticket: Ticket = {
    ...next,
    updated_at: changesTicket(events) ? context.now : current.updated_at,
    version: current.version + 1,
  };
  return { ticket, ...(comment ? { comment } : {}), audit: audit(current.id, context, events) };
};

const satisfactionFields = (satisfaction: TicketSatisfaction) => ({
  satisfaction_rating: satisfaction,
  satisfaction_score: ruleSatisfactionScore(satisfaction),
});

/** Not among AUDITED_FIELDS: rules see it as `satisfaction_score` (a Change, so "changed" conditions work). */
const satisfactionEvent = (
  current: Ticket,
  next: Ticket,
  context: WriteContext,
  position: number,
): AuditEvent | undefined => {
  if (sameValue(current.satisfaction_rating, next.satisfaction_rating)) return undefined;
  return {
    id: eventId(context.auditId, position),
    type: 'Change',
    field_name: 'satisfaction_score',
    value: ruleSatisfactionScore(next.satisfaction_rating),
    previous_value: ruleSatisfactionScore(current.satisfaction_rating),
  };
};

/**
 * A CSAT answer (or its change): only the satisfaction state moves. Unlike other updates it is allowed
 * on a closed ticket (the requester may change their rating for a grace period after closing, see
 * shared/domain/csat/survey-schedule.ts), and there it keeps `updated_at`, which stays the instant the
 * ticket closed. Undefined when the state is already this one.
 */
export const planSatisfactionChange = (
  current: Ticket,
  satisfaction: TicketSatisfaction,
  context: WriteContext,
): TicketWritePlan | undefined => {
  const next: Ticket = { ...current, ...satisfactionFields(satisfaction) };
  const event = satisfactionEvent(current, next, context, 0);
  if (!event) return undefined;
  const ticket: Ticket = {
    ...next,
    updated_at: current.status === 'closed' ? current.updated_at : context.now,
    version: current.version + 1,
  };
  return { ticket, audit: audit(current.id, context, [event]) };
};

/** Soft deletion: the ticket leaves every list but /deleted_tickets; the audit records it. */
export const planTicketDeletion = (current: Ticket, context: WriteContext): TicketWritePlan => ({
  ticket: { ...current, deleted_at: context.now, updated_at: context.now, version: current.version + 1 },
  audit: audit(current.id, context, [
    {
      id: eventId(context.auditId, 0),
      type: 'Change',
      field_name: 'deleted',
      value: true,
      previous_value: false,
    },
  ]),
});
