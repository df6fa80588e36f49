/**
 * The actions a macro may take: the rule action set without what only makes sense when a rule fires
 * unattended (notifications, webhooks, satisfaction offers, CCs), without the statuses an agent cannot
 * pick (new, closed), plus macro-only `subject` and `group_id: current_groups` (keep the group).
 * Checked at save time with the rule engine's own compiler, so a stored macro always applies.
 */
import type { FieldError } from '../errors.ts';
import { type ActionInput, type CompiledAction, compileAction } from '../rules/actions.ts';
import type { ValidAction } from '../rules/compile-rule.ts';
import { ruleTextProblem } from '../rules/rule-text.ts';

/** Fields a rule may set that a macro may not. */
const RULE_ONLY_ACTIONS = new Set([
  'notification_user',
  'notification_group',
  'notification_webhook',
  'satisfaction_score',
  'cc',
]);

/** One ticket gets one comment and one subject: a second such action would silently win or be lost. */
const SINGLE_ACTIONS = ['comment_value', 'comment_value_html', 'comment_mode_is_public', 'subject'];

const MAX_SUBJECT_LENGTH = 255;

export interface CompiledMacroActions {
  actions: ValidAction[];
  /** A Liquid template rendered like comments; absent when the macro leaves the subject alone. */
  subject?: string;
}

export type MacroActionsCompilation =
  | { ok: true; compiled: CompiledMacroActions }
  | { ok: false; problems: FieldError[] };

/** `subject` lives outside the rule action set: triggers cannot rename tickets in Zendesk. */
const subjectProblem = (value: unknown): string | undefined => {
  if (typeof value !== 'string' || !value.trim()) return "action 'subject' needs a text value";
  if (value.length > MAX_SUBJECT_LENGTH)
    return `action 'subject' is longer than ${MAX_SUBJECT_LENGTH} characters`;
  const problem = ruleTextProblem(value);
  return problem ? `Text of action 'subject' is not a valid Liquid template (${problem})` : undefined;
};

const compileMacroAction = (input: ActionInput): CompiledAction | { ok: true; subject: string } => {
  if (RULE_ONLY_ACTIONS.has(input.field))
    return { ok: false, problem: `action '${input.field}' is not available in macros` };
  if (input.field === 'status' && (input.value === 'new' || input.value === 'closed'))
    return { ok: false, problem: `macros cannot set status '${input.value}'` };
  if (input.field === 'subject') {
    const problem = subjectProblem(input.value);
    return problem ? { ok: false, problem } : { ok: true, subject: input.value as string };
  }
  // Keeps the ticket's group: nothing to apply.
  if (input.field === 'group_id' && input.value === 'current_groups')
    return { ok: true, action: { field: 'group_id', value: 'current_groups' }, apply: () => undefined };
  return compileAction(input);
};

export const compileMacroActions = (inputs: readonly ActionInput[]): MacroActionsCompilation => {
  const problems: FieldError[] = [];
  if (!inputs.length)
    problems.push({ description: 'Actions: at least one action is required', error: 'BlankValue' });
  for (const field of SINGLE_ACTIONS) {
    if (inputs.filter((input) => input.field === field).length > 1)
      problems.push({ description: `Actions: '${field}' may appear only once`, error: 'InvalidValue' });
  }
  const compiled: CompiledMacroActions = { actions: [] };
  for (const [index, input] of inputs.entries()) {
    const result = compileMacroAction(input);
    if (!result.ok) {
      problems.push({ description: `Action ${index + 1}: ${result.problem}`, error: 'InvalidValue' });
    } else if ('subject' in result) {
      compiled.subject = result.subject;
    } else {
      compiled.actions.push(result);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, compiled };
};

/** The stored form of valid actions, as the client sent them (ids as given, `subject` in its place). */
export const storedActions = (inputs: readonly ActionInput[]) =>
  inputs.map((input) => ({ field: input.field, value: input.value ?? null }));
