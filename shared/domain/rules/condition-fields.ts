/**
 * The condition fields rules may test, with the operators each accepts and how its value is read.
 * One catalog feeds save-time validation, evaluation and `/triggers/definitions`, so they cannot
 * disagree. The requester's role is `requester_role` (`end-user`/`agent`/`admin`): Zendesk's own
 * `role` names the updater, which we do not offer.
 */
import { CHANGE_OPERATORS, type Operator } from './operators.ts';
import type { RuleContext, RuleTicket } from './rule-context.ts';
import { viaIdOfChannel } from './rule-values.ts';

export type ConditionValueKind =
  | 'update_type'
  | 'status'
  | 'priority'
  | 'type'
  | 'reference'
  | 'via'
  | 'tags'
  | 'words'
  | 'comment_public'
  | 'role'
  | 'custom'
  | 'hours'
  | 'count'
  | 'id'
  | 'satisfaction'
  | 'flag';

/**
 * Views and SLA policy filters use conditions only: no change operators, no actions; views also
 * measure hours since (the time fields automations use), SLA filters do not.
 */
export type RuleKind = 'trigger' | 'automation' | 'view' | 'sla';

export interface ConditionField {
  title: string;
  kind: ConditionValueKind;
  /** Operators valid in every rule kind. */
  operators: readonly Operator[];
  /** Whether triggers may also use the change operators (`changed`, `value`, ...). */
  changeOperators: boolean;
  /** Restricts the field to these rule kinds. */
  only?: readonly RuleKind[];
  /** Time conditions belong in `all` only. */
  allOnly?: boolean;
  read: (ticket: RuleTicket, context: RuleContext) => unknown;
}

const EQUALITY = ['is', 'is_not'] as const satisfies readonly Operator[];
const ORDERED = ['is', 'is_not', 'less_than', 'greater_than'] as const satisfies readonly Operator[];
const TAG_OPERATORS = ['includes', 'not_includes'] as const satisfies readonly Operator[];
const NUMERIC = ['is', 'less_than', 'greater_than'] as const satisfies readonly Operator[];
const CUSTOM = ['is', 'is_not', 'present', 'not_present', 'includes'] as const satisfies readonly Operator[];

const customValue = (ticket: RuleTicket, id: number): unknown =>
  ticket.custom_fields.find((field) => field.id === id)?.value ?? null;

/** Hours since an instant, whole hours elapsed, as Zendesk counts them; null when unknown. */
const hoursSince = (
  context: RuleContext,
  at: (clock: NonNullable<RuleContext['clock']>) => string | null | undefined,
) => {
  const clock = context.clock;
  const instant = clock ? at(clock) : undefined;
  if (!clock || !instant) return null;
  return Math.floor((Date.parse(clock.now) - Date.parse(instant)) / 3_600_000);
};

const timeField = (
  title: string,
  at: (clock: NonNullable<RuleContext['clock']>) => string | null | undefined,
): ConditionField => ({
  title,
  kind: 'hours',
  operators: NUMERIC,
  changeOperators: false,
  only: ['automation', 'view'],
  allOnly: true,
  read: (_ticket, context) => hoursSince(context, at),
});

const TIME_FIELDS: Readonly<Record<string, ConditionField>> = {
  NEW: timeField('Hours since created', (clock) => clock.created_at),
  OPEN: timeField('Hours since open', (clock) => clock.statusEnteredAt.open),
  PENDING: timeField('Hours since pending', (clock) => clock.statusEnteredAt.pending),
  SOLVED: timeField('Hours since solved', (clock) => clock.statusEnteredAt.solved),
  CLOSED: timeField('Hours since closed', (clock) => clock.statusEnteredAt.closed),
  assigned_at: timeField('Hours since assigned', (clock) => clock.assigned_at),
  updated_at: timeField('Hours since update', (clock) => clock.updated_at),
  requester_updated_at: timeField('Hours since requester update', (clock) => clock.requester_updated_at),
  assignee_updated_at: timeField('Hours since assignee update', (clock) => clock.assignee_updated_at),
};

/** The issue's `hours_since_*` names, accepted as aliases of Zendesk's time fields. */
export const TIME_FIELD_ALIASES: Readonly<Record<string, string>> = {
  hours_since_created: 'NEW',
  hours_since_open: 'OPEN',
  hours_since_pending: 'PENDING',
  hours_since_solved: 'SOLVED',
  hours_since_closed: 'CLOSED',
  hours_since_assigned: 'assigned_at',
  hours_since_update: 'updated_at',
  hours_since_requester_update: 'requester_updated_at',
  hours_since_agent_update: 'assignee_updated_at',
};

export const CONDITION_FIELDS: Readonly<Record<string, ConditionField>> = {
  update_type: {
    title: 'Ticket is',
    kind: 'update_type',
    operators: ['is'],
    changeOperators: false,
    only: ['trigger'],
    read: (_ticket, context) => context.updateType,
  },
  status: {
    title: 'Status',
    kind: 'status',
    operators: ORDERED,
    changeOperators: true,
    read: (ticket) => ticket.status,
  },
  priority: {
    title: 'Priority',
    kind: 'priority',
    operators: ORDERED,
    changeOperators: true,
    read: (ticket) => ticket.priority,
  },
  type: {
    title: 'Type',
    kind: 'type',
    operators: EQUALITY,
    changeOperators: true,
    read: (ticket) => ticket.type,
  },
  group_id: {
    title: 'Group',
    kind: 'reference',
    operators: EQUALITY,
    changeOperators: true,
    read: (ticket) => ticket.group_id,
  },
  assignee_id: {
    title: 'Assignee',
    kind: 'reference',
    operators: EQUALITY,
    changeOperators: true,
    read: (ticket) => ticket.assignee_id,
  },
  requester_id: {
    title: 'Requester',
    kind: 'reference',
    operators: EQUALITY,
    changeOperators: true,
    read: (ticket) => ticket.requester_id,
  },
  organization_id: {
    title: 'Organization',
    kind: 'reference',
    operators: EQUALITY,
    changeOperators: true,
    read: (ticket) => ticket.organization_id,
  },
  via_id: {
    title: 'Channel',
    kind: 'via',
    operators: EQUALITY,
    changeOperators: false,
    read: (ticket) => viaIdOfChannel(ticket.via.channel),
  },
  current_via_id: {
    title: 'Update via',
    kind: 'via',
    operators: EQUALITY,
    changeOperators: false,
    only: ['trigger'],
    read: (_ticket, context) => (context.updateVia ? viaIdOfChannel(context.updateVia) : null),
  },
  current_tags: {
    title: 'Tags',
    kind: 'tags',
    operators: TAG_OPERATORS,
    changeOperators: false,
    read: (ticket) => ticket.tags,
  },
  subject_includes_word: {
    title: 'Subject text',
    kind: 'words',
    operators: TAG_OPERATORS,
    changeOperators: false,
    only: ['trigger'],
    read: (ticket) => ticket.subject ?? '',
  },
  comment_includes_word: {
    title: 'Comment text',
    kind: 'words',
    operators: TAG_OPERATORS,
    changeOperators: false,
    only: ['trigger'],
    read: (_ticket, context) => context.comment?.body ?? '',
  },
  comment_is_public: {
    title: 'Comment is',
    kind: 'comment_public',
    operators: ['is'],
    changeOperators: false,
    only: ['trigger'],
    read: (_ticket, context) => context.comment,
  },
  requester_role: {
    title: 'Requester role',
    kind: 'role',
    operators: EQUALITY,
    changeOperators: false,
    read: (_ticket, context) => context.requester?.role ?? null,
  },
  ticket_form_id: {
    title: 'Ticket form',
    kind: 'id',
    operators: EQUALITY,
    changeOperators: true,
    read: (ticket) => ticket.ticket_form_id ?? null,
  },
  satisfaction_score: {
    title: 'Satisfaction',
    kind: 'satisfaction',
    operators: EQUALITY,
    changeOperators: true,
    read: (ticket) => ticket.satisfaction_score ?? 'unoffered',
  },
  sla_breached: {
    title: 'SLA breached',
    kind: 'flag',
    operators: EQUALITY,
    changeOperators: true,
    read: (ticket) => ticket.sla_breached === true,
  },
  reopens: {
    title: 'Reopens',
    kind: 'count',
    operators: NUMERIC,
    changeOperators: false,
    read: (_ticket, context) => context.reopens ?? 0,
  },
  ...TIME_FIELDS,
};

const TICKET_CUSTOM_FIELD = /^custom_fields_(\d+)$/;
const USER_CUSTOM_FIELD = /^user\.custom_fields_([A-Za-z0-9_-]+)$/;
const ORGANIZATION_CUSTOM_FIELD = /^organization\.custom_fields_([A-Za-z0-9_-]+)$/;

/** The catalog entry for a condition field name, including the per-field custom patterns. */
export const conditionField = (name: string): ConditionField | undefined => {
  const known = CONDITION_FIELDS[TIME_FIELD_ALIASES[name] ?? name];
  if (known) return known;
  const ticketField = TICKET_CUSTOM_FIELD.exec(name)?.[1];
  if (ticketField) {
    const id = Number(ticketField);
    return {
      title: `Ticket field ${id}`,
      kind: 'custom',
      operators: CUSTOM,
      changeOperators: true,
      read: (ticket) => customValue(ticket, id),
    };
  }
  const userKey = USER_CUSTOM_FIELD.exec(name)?.[1];
  if (userKey) {
    return {
      title: `Requester field ${userKey}`,
      kind: 'custom',
      operators: CUSTOM,
      changeOperators: false,
      read: (_ticket, context) => context.requester?.user_fields[userKey] ?? null,
    };
  }
  const organizationKey = ORGANIZATION_CUSTOM_FIELD.exec(name)?.[1];
  if (organizationKey) {
    return {
      title: `Organization field ${organizationKey}`,
      kind: 'custom',
      operators: CUSTOM,
      changeOperators: false,
      read: (_ticket, context) => context.organization?.organization_fields[organizationKey] ?? null,
    };
  }
  return undefined;
};

/** The operators a field accepts in a rule kind. */
export const operatorsFor = (field: ConditionField, kind: RuleKind): readonly Operator[] =>
  kind === 'trigger' && field.changeOperators ? [...field.operators, ...CHANGE_OPERATORS] : field.operators;
