/**
 * Rule actions: `[{field, value}]`. Applying them is pure: it yields the changed ticket, comments to
 * add and side effects (notifications, webhooks) as data for the caller to perform.
 */
import * as z from 'zod';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../tickets/ticket.ts';
import type { RuleContext, RuleTicket } from './rule-context.ts';
import { ruleTextProblem } from './rule-text.ts';
import { parseBoolean, parseReference, parseTagList } from './rule-values.ts';

const actionValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])),
]);

export const actionSchema = z.object({ field: z.string(), value: actionValue.optional() });

export type ActionInput = z.infer<typeof actionSchema>;

export interface Action {
  field: string;
  value: z.infer<typeof actionValue>;
}

/** `requester_and_ccs` also carries the update's public comment: it is how comment mail goes out. */
export type NotificationRecipient =
  | 'requester_id'
  | 'requester_and_ccs'
  | 'assignee_id'
  | 'current_user'
  | 'all_agents'
  | number;

export type RuleSideEffect =
  | { type: 'notification_user'; recipient: NotificationRecipient; subject: string; body: string }
  | { type: 'notification_group'; group: number | 'group_id' | 'all'; subject: string; body: string }
  | { type: 'notification_webhook'; webhook_id: string; body: string };

/** A comment a rule adds; its text is a Liquid template the caller renders with the final ticket. */
export interface RuleCommentToAdd {
  body?: string;
  html_body?: string;
  public: boolean;
}

/** What applying actions produced so far; `ticket` is a fresh copy, never the caller's object. */
export interface ActionState {
  ticket: RuleTicket;
  comments: RuleCommentToAdd[];
  sideEffects: RuleSideEffect[];
  /** Users to copy in, by id or by email (the caller resolves emails to users). */
  ccs: Array<number | string>;
}

type ApplyAction = (state: ActionState, context: RuleContext, commentsPublic: boolean) => void;

export type CompiledAction =
  | { ok: true; action: Action; apply: ApplyAction; setsField?: string }
  | { ok: false; problem: string };

export const ACTION_FIELDS = [
  'status',
  'priority',
  'type',
  'group_id',
  'assignee_id',
  'set_tags',
  'current_tags',
  'remove_tags',
  'satisfaction_score',
  'notification_user',
  'notification_group',
  'notification_webhook',
  'comment_value',
  'comment_value_html',
  'comment_mode_is_public',
  'cc',
] as const;

const TICKET_CUSTOM_FIELD = /^custom_fields_(\d+)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const invalid = (field: string, value: unknown): CompiledAction => ({
  ok: false,
  problem: `invalid value ${value === undefined ? 'none' : `'${JSON.stringify(value)}'`} for action '${field}'`,
});

const templateProblem = (field: string, part: string, template: string): string | undefined => {
  const problem = ruleTextProblem(template);
  return problem ? `${part} of action '${field}' is not a valid Liquid template (${problem})` : undefined;
};

const enumAction = (
  field: 'status' | 'priority' | 'type',
  values: readonly string[],
  value: unknown,
  noneAllowed: boolean,
  action: Action,
): CompiledAction => {
  const next = noneAllowed && (value === '' || value === null) ? null : value;
  if (next !== null && !(typeof next === 'string' && values.includes(next))) return invalid(field, value);
  return {
    ok: true,
    action,
    setsField: field,
    apply: (state) => {
      (state.ticket as unknown as Record<string, unknown>)[field] = next;
    },
  };
};

const tagAction = (field: string, value: unknown, action: Action): CompiledAction => {
  const tags = value === '' ? [] : parseTagList(value);
  if (!tags) return invalid(field, value);
  const change = (current: string[]): string[] => {
    if (field === 'set_tags') return [...tags];
    if (field === 'current_tags') return [...new Set([...current, ...tags])];
    return current.filter((tag) => !tags.includes(tag));
  };
  return {
    ok: true,
    action,
    apply: (state) => {
      state.ticket.tags = change(state.ticket.tags);
    },
  };
};

/** `[recipient, subject, body]` and friends: a tuple of a target and Liquid texts. */
const textTuple = (field: string, value: unknown, length: number): string[] | string => {
  if (!Array.isArray(value) || value.length !== length) return `action '${field}' needs ${length} values`;
  const texts = value.slice(1);
  if (!texts.every((text) => typeof text === 'string')) return `action '${field}' needs text values`;
  const parts = length === 3 ? ['Subject', 'Body'] : ['Body'];
  for (const [index, text] of texts.entries()) {
    const problem = templateProblem(field, parts[index] ?? 'Text', text as string);
    if (problem) return problem;
  }
  return texts as string[];
};

const notificationRecipient = (value: unknown): NotificationRecipient | undefined => {
  if (
    value === 'requester_id' ||
    value === 'requester_and_ccs' ||
    value === 'assignee_id' ||
    value === 'current_user' ||
    value === 'all_agents'
  )
    return value;
  const id = parseReference(value, false);
  return typeof id === 'number' ? id : undefined;
};

const commentText = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  // Zendesk's channel-scoped form: ["channel:all", "text"].
  if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string') return value[1];
  return undefined;
};

/** Checks one action and, when it is valid, compiles it (triggers and automations share the set). */
export const compileAction = (input: ActionInput): CompiledAction => {
  const { field } = input;
  const value = input.value;
  const action: Action = { field, value: value ?? null };
  switch (field) {
    case 'status':
      return enumAction('status', TICKET_STATUSES, value, false, action);
    case 'priority':
      return enumAction('priority', TICKET_PRIORITIES, value, true, action);
    case 'type':
      return enumAction('type', TICKET_TYPES, value, true, action);
    case 'group_id':
    case 'assignee_id': {
      const reference = parseReference(value, field === 'assignee_id');
      if (reference === undefined) return invalid(field, value);
      return {
        ok: true,
        action,
        setsField: field,
        apply: (state, context) => {
          // With no updater (automations), `current_user` leaves the assignee as it is.
          const next = reference === 'current_user' ? context.currentUser?.id : reference;
          if (next !== undefined) state.ticket[field] = next;
        },
      };
    }
    case 'set_tags':
    case 'current_tags':
    case 'remove_tags':
      return tagAction(field, value, action);
    case 'satisfaction_score':
      if (value !== 'offered') return invalid(field, value);
      return {
        ok: true,
        action,
        setsField: field,
        apply: (state) => {
          state.ticket.satisfaction_score = 'offered';
        },
      };
    case 'notification_user': {
      const texts = textTuple(field, value, 3);
      if (typeof texts === 'string') return { ok: false, problem: texts };
      const recipient = notificationRecipient((value as unknown[])[0]);
      if (recipient === undefined) return { ok: false, problem: `unknown recipient for action '${field}'` };
      const [subject = '', body = ''] = texts;
      return {
        ok: true,
        action,
        apply: (state) => {
          state.sideEffects.push({ type: 'notification_user', recipient, subject, body });
        },
      };
    }
    case 'notification_group': {
      const texts = textTuple(field, value, 3);
      if (typeof texts === 'string') return { ok: false, problem: texts };
      const target = (value as unknown[])[0];
      const group = target === 'group_id' || target === 'all' ? target : parseReference(target, false);
      if (group === undefined || group === null)
        return { ok: false, problem: `unknown group for action '${field}'` };
      const [subject = '', body = ''] = texts;
      return {
        ok: true,
        action,
        apply: (state) => {
          state.sideEffects.push({
            type: 'notification_group',
            group: group as number | 'group_id' | 'all',
            subject,
            body,
          });
        },
      };
    }
    case 'notification_webhook': {
      const texts = textTuple(field, value, 2);
      if (typeof texts === 'string') return { ok: false, problem: texts };
      const webhookId = (value as unknown[])[0];
      if (typeof webhookId !== 'string' || !webhookId)
        return { ok: false, problem: `action '${field}' needs a webhook id` };
      const [body = ''] = texts;
      return {
        ok: true,
        action,
        apply: (state) => {
          state.sideEffects.push({ type: 'notification_webhook', webhook_id: webhookId, body });
        },
      };
    }
    case 'comment_value':
    case 'comment_value_html': {
      const text = commentText(value);
      if (text === undefined || !text.trim()) return invalid(field, value);
      const problem = templateProblem(field, 'Text', text);
      if (problem) return { ok: false, problem };
      return {
        ok: true,
        action,
        apply: (state, _context, commentsPublic) => {
          state.comments.push(
            field === 'comment_value'
              ? { body: text, public: commentsPublic }
              : { html_body: text, public: commentsPublic },
          );
        },
      };
    }
    case 'comment_mode_is_public':
      // Read by applyActions before the comments are added: it sets their visibility.
      return parseBoolean(value) === undefined
        ? invalid(field, value)
        : { ok: true, action, apply: () => undefined };
    case 'cc': {
      const id = parseReference(value, false);
      const cc =
        typeof id === 'number'
          ? id
          : typeof value === 'string' && EMAIL.test(value)
            ? value.toLowerCase()
            : undefined;
      if (cc === undefined) return invalid(field, value);
      return {
        ok: true,
        action,
        apply: (state) => {
          if (!state.ccs.includes(cc)) state.ccs.push(cc);
        },
      };
    }
    default:
      break;
  }
  const customFieldId = TICKET_CUSTOM_FIELD.exec(field)?.[1];
  if (customFieldId) {
    const id = Number(customFieldId);
    const next = value === '' ? null : (value ?? null);
    return {
      ok: true,
      action,
      setsField: field,
      apply: (state) => {
        state.ticket.custom_fields = [
          ...state.ticket.custom_fields.filter((entry) => entry.id !== id),
          { id, value: next },
        ].sort((a, b) => a.id - b.id);
      },
    };
  }
  return { ok: false, problem: `unknown action '${field}'` };
};

type ValidAction = Extract<CompiledAction, { ok: true }>;

/** Applies a rule's actions to a copy of the ticket; comments follow `comment_mode_is_public` (default public). */
export const applyActions = (
  actions: readonly ValidAction[],
  state: ActionState,
  context: RuleContext,
): ActionState => {
  const mode = actions.find((action) => action.action.field === 'comment_mode_is_public');
  const commentsPublic = mode ? parseBoolean(mode.action.value) !== false : true;
  const next: ActionState = {
    ticket: { ...state.ticket, tags: [...state.ticket.tags], custom_fields: [...state.ticket.custom_fields] },
    comments: [...state.comments],
    sideEffects: [...state.sideEffects],
    ccs: [...state.ccs],
  };
  for (const action of actions) action.apply(next, context, commentsPublic);
  return next;
};
