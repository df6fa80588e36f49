/**
 * What a macro does to a ticket, computed and never saved: the agent (or their client) reviews the
 * result and submits it with an ordinary ticket update. Comment and subject texts are Liquid rendered
 * with the ticket as the macro leaves it; user content enters as data only, escaped in HTML comments.
 */
import { applyActions } from '../rules/actions.ts';
import { emptyActionState } from '../rules/rule-changes.ts';
import type { RuleContext, RuleTicket } from '../rules/rule-context.ts';
import { renderRuleText } from '../rules/rule-text.ts';
import { parseTagList } from '../rules/rule-values.ts';
import { ruleTemplateData, type TemplateSources } from '../rules/template-data.ts';
import type { CompiledMacroActions } from './macro-actions.ts';

/** Who and what the placeholders name besides the ticket, looked up by the caller. */
export type MacroPlaceholders = Omit<TemplateSources, 'ticket' | 'latestComment' | 'withoutRequesterText'>;

export interface MacroComment {
  body: string;
  /** Only when the macro wrote its comment as HTML. */
  html_body?: string;
  public: boolean;
}

/** The actions applied to a copy of the ticket; subject and comment are still Liquid templates. */
export interface AppliedMacro {
  /** The ticket after the macro, with its subject unchanged (see `subject`). */
  ticket: RuleTicket;
  /** Ticket fields the macro sets, whatever their previous value. */
  setFields: ReadonlySet<string>;
  subject?: string;
  comment?: { body?: string; html_body?: string; public: boolean };
}

/** The macro's result with its texts rendered. */
export interface RenderedMacro {
  ticket: RuleTicket;
  comment?: MacroComment;
}

/** A ticket with nothing set: the base of the ticketless apply, which reports what the macro sets. */
export const blankRuleTicket = (): RuleTicket => ({
  id: 0,
  subject: null,
  status: 'new',
  priority: null,
  type: null,
  requester_id: 0,
  assignee_id: null,
  group_id: null,
  organization_id: null,
  tags: [],
  custom_fields: [],
  collaborator_ids: [],
  via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
});

/** Applies the macro to `ticket`, or to nothing for the ticketless form, as `currentUser`. */
export const applyMacro = (
  macro: CompiledMacroActions,
  ticket: RuleTicket | undefined,
  currentUser: NonNullable<RuleContext['currentUser']>,
): AppliedMacro => {
  const base = ticket ?? blankRuleTicket();
  const state = applyActions(macro.actions, emptyActionState(base), { ticket: base, currentUser });
  const setFields = new Set(macro.actions.flatMap((action) => (action.setsField ? [action.setsField] : [])));
  if (macro.subject !== undefined) setFields.add('subject');
  // compileMacroActions allows one comment_value and one comment_value_html: together, one comment.
  const body = state.comments.find((comment) => comment.body !== undefined)?.body;
  const htmlBody = state.comments.find((comment) => comment.html_body !== undefined)?.html_body;
  const comment = state.comments[0] && {
    ...(body !== undefined ? { body } : {}),
    ...(htmlBody !== undefined ? { html_body: htmlBody } : {}),
    public: state.comments[0].public,
  };
  return {
    ticket: state.ticket,
    setFields,
    ...(macro.subject !== undefined ? { subject: macro.subject } : {}),
    ...(comment ? { comment } : {}),
  };
};

/**
 * Renders the subject (its `{{ticket.title}}` is the subject before) and then the comment, with the
 * ticket as the macro leaves it. A plain-text body is required on the wire, so an HTML-only comment
 * gets one from its HTML (`toText` keeps the HTML converter out of this module).
 */
export const renderMacro = (
  applied: AppliedMacro,
  people: MacroPlaceholders,
  toText: (html: string) => string,
): RenderedMacro => {
  const ticket: RuleTicket =
    applied.subject === undefined
      ? applied.ticket
      : {
          ...applied.ticket,
          subject: renderRuleText(applied.subject, ruleTemplateData({ ...people, ticket: applied.ticket })),
        };
  if (!applied.comment) return { ticket };
  const data = ruleTemplateData({ ...people, ticket });
  const { comment } = applied;
  const htmlBody =
    comment.html_body === undefined ? undefined : renderRuleText(comment.html_body, data, 'html');
  const body = comment.body === undefined ? toText(htmlBody ?? '') : renderRuleText(comment.body, data);
  return {
    ticket,
    comment: { body, ...(htmlBody !== undefined ? { html_body: htmlBody } : {}), public: comment.public },
  };
};

const TICKET_CUSTOM_FIELD = /^custom_fields_(\d+)$/;

/**
 * The ticketless answer: only what the macro sets. Tag actions have no ticket to apply to, so they are
 * answered as Zendesk's tag operations (`additional_tags`, `remove_tags`) unless the macro replaces
 * the tags (`set_tags`), which is a plain `tags` list.
 */
export const macroChanges = (
  applied: AppliedMacro,
  rendered: RenderedMacro,
  macro: CompiledMacroActions,
): Record<string, unknown> => {
  const changes: Record<string, unknown> = {};
  const customFieldIds: number[] = [];
  for (const field of applied.setFields) {
    const customFieldId = TICKET_CUSTOM_FIELD.exec(field)?.[1];
    if (customFieldId) customFieldIds.push(Number(customFieldId));
    else changes[field] = rendered.ticket[field as keyof RuleTicket];
  }
  if (customFieldIds.length)
    changes.custom_fields = applied.ticket.custom_fields.filter((field) => customFieldIds.includes(field.id));
  const tagActions = macro.actions.map((action) => action.action);
  if (tagActions.some((action) => action.field === 'set_tags')) {
    changes.tags = applied.ticket.tags;
    return changes;
  }
  if (tagActions.some((action) => action.field === 'current_tags'))
    changes.additional_tags = applied.ticket.tags;
  const removed = tagActions.flatMap((action) =>
    action.field === 'remove_tags' ? (parseTagList(action.value) ?? []) : [],
  );
  if (removed.length) changes.remove_tags = [...new Set(removed)];
  return changes;
};
