/**
 * Zendesk's system ticket fields (zendesk-api.md §2.9): the ticket's own attributes (subject, status,
 * priority…) described as fields, so admins can title them and choose what end-users see and fill in
 * on the request form. They are seeded once, never removed, never hold a `custom_fields` value, and
 * only their titles, description, position and portal flags can change.
 */
import type { FieldError } from '../errors.ts';
import type { TicketPriority, TicketType } from '../tickets/ticket.ts';
import {
  DetailsCollector,
  type SystemTicketField,
  type TicketField,
  type TicketFieldInput,
} from './field-definition.ts';

export const SYSTEM_TICKET_FIELD_TYPES = [
  'subject',
  'description',
  'status',
  'tickettype',
  'priority',
  'group',
  'assignee',
] as const;

export type SystemTicketFieldType = (typeof SYSTEM_TICKET_FIELD_TYPES)[number];

type PortalFlag = 'visible_in_portal' | 'editable_in_portal' | 'required_in_portal';

interface SystemFieldDefaults extends Pick<TicketField, PortalFlag> {
  title: string;
  description: string;
  /** Zendesk's `required` (agents must fill it in to solve): fixed for system fields. */
  required: boolean;
  /** Portal flags no admin may change. */
  fixed: Partial<Pick<TicketField, PortalFlag>>;
}

/** Status, group and assignee are set by agents and rules, never by end-users (as in Zendesk). */
const NEVER_END_USER_INPUT = { editable_in_portal: false, required_in_portal: false } as const;
const END_USER_FORM_DEFAULTS = {
  visible_in_portal: true,
  editable_in_portal: true,
  required_in_portal: true,
};
const HIDDEN_FROM_END_USERS = {
  visible_in_portal: false,
  editable_in_portal: false,
  required_in_portal: false,
};

/** Zendesk's defaults: end-users fill in subject and description; priority and type start hidden. */
export const SYSTEM_TICKET_FIELDS: Record<SystemTicketFieldType, SystemFieldDefaults> = {
  subject: { title: 'Subject', description: '', required: true, ...END_USER_FORM_DEFAULTS, fixed: {} },
  // The request's first comment is the description: a request cannot be opened without one.
  description: {
    title: 'Description',
    description: '',
    required: true,
    ...END_USER_FORM_DEFAULTS,
    fixed: END_USER_FORM_DEFAULTS,
  },
  status: {
    title: 'Status',
    description: 'Request status',
    required: false,
    ...HIDDEN_FROM_END_USERS,
    fixed: NEVER_END_USER_INPUT,
  },
  tickettype: {
    title: 'Type',
    description: 'Request type',
    required: false,
    ...HIDDEN_FROM_END_USERS,
    fixed: {},
  },
  priority: {
    title: 'Priority',
    description: 'Request priority',
    required: false,
    ...HIDDEN_FROM_END_USERS,
    fixed: {},
  },
  group: {
    title: 'Group',
    description: 'Request group',
    required: false,
    ...HIDDEN_FROM_END_USERS,
    fixed: NEVER_END_USER_INPUT,
  },
  // Requesters see who is working on their request (the Requests API shows `assignee_id`).
  assignee: {
    title: 'Assignee',
    description: 'Agent assigned to your request',
    required: false,
    visible_in_portal: true,
    editable_in_portal: false,
    required_in_portal: false,
    fixed: NEVER_END_USER_INPUT,
  },
};

export const isSystemTicketField = (field: TicketField): field is SystemTicketField =>
  (SYSTEM_TICKET_FIELD_TYPES as readonly string[]).includes(field.type);

/** A system field as first seeded. */
export const systemTicketField = (
  type: SystemTicketFieldType,
  context: { id: number; position: number; now: string },
): SystemTicketField => {
  const { fixed: _fixed, ...defaults } = SYSTEM_TICKET_FIELDS[type];
  return {
    id: context.id,
    type,
    ...defaults,
    title_in_portal: defaults.title,
    position: context.position,
    active: true,
    regexp_for_validation: null,
    tag: null,
    custom_field_options: [],
    created_at: context.now,
    updated_at: context.now,
  };
};

/** Properties a system field keeps whatever is sent; sending the current value is not a change. */
const UNCHANGEABLE = {
  type: 'Type',
  active: 'Active',
  required: 'Required',
  regexp_for_validation: 'Regexp for validation',
  tag: 'Tag',
} as const;

const FLAG_LABELS: Record<PortalFlag, string> = {
  visible_in_portal: 'Visible in portal',
  editable_in_portal: 'Editable in portal',
  required_in_portal: 'Required in portal',
};

/** The stored system field with `input` applied: titles, description, position and portal flags only. */
export const changeSystemTicketField = (
  current: SystemTicketField,
  input: TicketFieldInput,
  now: string,
): SystemTicketField => {
  const errors = new DetailsCollector();
  for (const [property, label] of Object.entries(UNCHANGEABLE)) {
    const value = input[property as keyof typeof UNCHANGEABLE];
    if (value !== undefined && value !== current[property as keyof typeof UNCHANGEABLE]) {
      errors.add(property, `${label}: cannot be changed on the system field ${current.title}`);
    }
  }
  if (input.custom_field_options?.length) {
    errors.add('custom_field_options', `Custom field options: the system field ${current.title} has none`);
  }
  const title = (input.title ?? current.title).trim();
  if (!title) errors.add('title', 'Title: cannot be blank');
  const flags = {
    visible_in_portal: input.visible_in_portal ?? current.visible_in_portal,
    editable_in_portal: input.editable_in_portal ?? current.editable_in_portal,
    required_in_portal: input.required_in_portal ?? current.required_in_portal,
  };
  for (const [flag, value] of Object.entries(SYSTEM_TICKET_FIELDS[current.type].fixed)) {
    if (flags[flag as PortalFlag] !== value) {
      errors.add(flag, `${FLAG_LABELS[flag as PortalFlag]}: is always ${value} for ${current.title}`);
    }
  }
  errors.throwIfAny();
  return {
    ...current,
    ...flags,
    title,
    title_in_portal: (input.title_in_portal ?? current.title_in_portal).trim() || title,
    description: input.description ?? current.description,
    position: input.position ?? current.position,
    updated_at: now,
  };
};

/** The account's definition of a system field, or Zendesk's default where none was seeded. */
export const systemFieldOf = (
  definitions: readonly TicketField[],
  type: SystemTicketFieldType,
): Pick<TicketField, 'title' | PortalFlag> =>
  definitions.find((field) => field.type === type) ?? SYSTEM_TICKET_FIELDS[type];

/** What an end-user's request sets besides custom fields, by ticket attribute. */
export interface PortalSystemValues {
  subject?: string | null | undefined;
  priority?: TicketPriority | null | undefined;
  type?: TicketType | null | undefined;
}

const PORTAL_ATTRIBUTES = { subject: 'subject', priority: 'priority', type: 'tickettype' } as const;

/**
 * Problems with the system values an end-user sends, keyed by attribute: a value for a field that is
 * not both visible and editable in the portal, or (opening a request) no value for a portal-required
 * one. Null and blank values set nothing, so they are never refused.
 */
export const portalSystemFieldProblems = (
  definitions: readonly TicketField[],
  values: PortalSystemValues,
  creating: boolean,
): Record<string, FieldError[]> => {
  const problems: Record<string, FieldError[]> = {};
  for (const [attribute, type] of Object.entries(PORTAL_ATTRIBUTES)) {
    const field = systemFieldOf(definitions, type);
    const value = values[attribute as keyof PortalSystemValues];
    const given = typeof value === 'string' ? value.trim() !== '' : value !== null && value !== undefined;
    const writable = field.visible_in_portal && field.editable_in_portal;
    if (given && !writable) {
      problems[attribute] = [
        { description: `${field.title}: cannot be set by end-users`, error: 'InvalidValue' },
      ];
    } else if (!given && creating && writable && field.required_in_portal) {
      problems[attribute] = [{ description: `${field.title}: is required`, error: 'BlankValue' }];
    }
  }
  return problems;
};
