/**
 * Automations: time-based rules run by the hourly job against the injected clock. Zendesk's save-time
 * rules keep them from firing forever: `all` needs a time condition and a condition on status, type,
 * group, assignee or requester, and some condition must be false once the actions have run (or be an
 * hours `is` condition, true for one hour only), so each automation fires once per ticket.
 */
import type { FieldError } from '../errors.ts';
import type { RuleCommentToAdd, RuleSideEffect } from './actions.ts';
import { applyRule, type CompiledRule, ruleMatches, type ValidCondition } from './compile-rule.ts';
import { emptyActionState, type RuleFieldChanges, ruleFieldChanges } from './rule-changes.ts';
import type { RuleContext, RuleTicket } from './rule-context.ts';

const ANCHOR_FIELDS = new Set(['status', 'type', 'group_id', 'assignee_id', 'requester_id']);

/** A blank ticket to try conditions and actions on (what they leave behind, which statuses match). */
export const PROBE_TICKET: RuleTicket = {
  id: 0,
  subject: null,
  status: 'open',
  priority: null,
  type: null,
  requester_id: 0,
  assignee_id: null,
  group_id: null,
  organization_id: null,
  tags: [],
  custom_fields: [],
  collaborator_ids: [],
  via: { channel: 'rule', source: { from: {}, to: {}, rel: null } },
};
const PROBE_CONTEXT = { ticket: PROBE_TICKET };

/**
 * Whether the actions surely make this condition false: evaluated on the ticket the actions leave
 * behind, starting from the ticket most favourable to the condition. Only fields the actions set (or
 * tags they add or remove) can be nullified; everything else may stay true.
 */
const nullifiedBy = (condition: ValidCondition, rule: CompiledRule): boolean => {
  const { field, operator, value } = condition.condition;
  if (field === 'current_tags') {
    const listed = typeof value === 'string' ? value.toLowerCase().split(/\s+/).filter(Boolean) : [];
    // `includes` is easiest to keep true with every listed tag present; `not_includes` with none.
    const start = operator === 'includes' ? listed : [];
    const after = applyRule(rule, emptyActionState({ ...PROBE_TICKET, tags: start }), PROBE_CONTEXT).ticket;
    return !condition.test({ ...PROBE_CONTEXT, ticket: after });
  }
  const setters = rule.compiledActions.filter((action) => action.setsField === field);
  // `assignee_id: current_user` has no updater to resolve to in an automation: it sets nothing.
  if (setters.length === 0 || setters.at(-1)?.action.value === 'current_user') return false;
  const after = applyRule(rule, emptyActionState(PROBE_TICKET), PROBE_CONTEXT).ticket;
  return !condition.test({ ...PROBE_CONTEXT, ticket: after });
};

/** Zendesk's extra save-time rules for automations (the rule already compiled as an automation). */
export const automationProblems = (rule: CompiledRule): FieldError[] => {
  const problems: FieldError[] = [];
  if (!rule.all.some((condition) => condition.field.kind === 'hours')) {
    problems.push({ description: "Conditions: 'all' must contain a time-based condition (hours since ...)" });
  }
  if (!rule.all.some((condition) => ANCHOR_FIELDS.has(condition.condition.field))) {
    problems.push({
      description: "Conditions: 'all' must contain a condition on status, type, group, assignee or requester",
    });
  }
  const trueOnlyOnce = rule.all.some(
    (condition) => condition.field.kind === 'hours' && condition.condition.operator === 'is',
  );
  if (!trueOnlyOnce && !rule.all.some((condition) => nullifiedBy(condition, rule))) {
    problems.push({
      description:
        'Conditions: the automation must contain a condition that its actions nullify (for example status is solved with action status closed), or it would fire on every run',
    });
  }
  return problems.map((problem) => ({ ...problem, error: 'InvalidValue' }));
};

export interface AutomationRun {
  changes: RuleFieldChanges;
  comments: RuleCommentToAdd[];
  sideEffects: RuleSideEffect[];
  ccs: Array<number | string>;
}

/**
 * Runs one automation on one ticket at `context.clock.now`; undefined when it does not apply.
 * Closed tickets are never touched, as in Zendesk.
 */
export const runAutomation = (rule: CompiledRule, context: RuleContext): AutomationRun | undefined => {
  if (context.ticket.status === 'closed' || !ruleMatches(rule, context)) return undefined;
  const state = applyRule(rule, emptyActionState(context.ticket), context);
  return {
    changes: ruleFieldChanges(context.ticket, state.ticket),
    comments: state.comments,
    sideEffects: state.sideEffects,
    ccs: state.ccs,
  };
};
