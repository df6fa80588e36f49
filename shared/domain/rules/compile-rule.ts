/**
 * A rule definition checked and compiled as a whole. Save-time validation and the engine share this
 * step: a 422 names each problem ("Condition 2 in all: unknown field 'foo'"), and a rule that compiled
 * runs without re-parsing.
 */
import * as z from 'zod';
import { type FieldError, ValidationError } from '../errors.ts';
import {
  type Action,
  type ActionState,
  actionSchema,
  applyActions,
  type CompiledAction,
  compileAction,
} from './actions.ts';
import type { RuleKind } from './condition-fields.ts';
import {
  type CompiledCondition,
  type Condition,
  type Conditions,
  compileCondition,
  conditionsSchema,
} from './conditions.ts';
import type { RuleContext } from './rule-context.ts';

export const ruleDefinitionSchema = z.object({
  conditions: conditionsSchema,
  actions: z.array(actionSchema),
});

export type RuleDefinitionInput = z.infer<typeof ruleDefinitionSchema>;

export type ValidCondition = Extract<CompiledCondition, { ok: true }>;
export type ValidAction = Extract<CompiledAction, { ok: true }>;

export interface CompiledRule {
  conditions: Conditions;
  actions: Action[];
  all: ValidCondition[];
  any: ValidCondition[];
  compiledActions: ValidAction[];
}

export type RuleProblems = { conditions: FieldError[]; actions: FieldError[] };

export type RuleCompilation = { ok: true; rule: CompiledRule } | { ok: false; problems: RuleProblems };

const compileGroup = (
  inputs: RuleDefinitionInput['conditions']['all'],
  kind: RuleKind,
  group: 'all' | 'any',
  problems: FieldError[],
): ValidCondition[] =>
  (inputs ?? []).flatMap((input, index) => {
    const compiled = compileCondition(input, kind, group === 'any');
    if (compiled.ok) return [compiled];
    problems.push({
      description: `Condition ${index + 1} in ${group}: ${compiled.problem}`,
      error: 'InvalidValue',
    });
    return [];
  });

export const compileRule = (input: RuleDefinitionInput, kind: RuleKind): RuleCompilation => {
  const problems: RuleProblems = { conditions: [], actions: [] };
  const all = compileGroup(input.conditions.all, kind, 'all', problems.conditions);
  const any = compileGroup(input.conditions.any, kind, 'any', problems.conditions);
  if (!input.conditions.all?.length && !input.conditions.any?.length) {
    problems.conditions.push({
      description: 'Conditions: at least one condition is required',
      error: 'BlankValue',
    });
  }
  // Views and SLA filters are conditions only; every other rule must do something.
  if (!input.actions.length && kind !== 'view' && kind !== 'sla') {
    problems.actions.push({ description: 'Actions: at least one action is required', error: 'BlankValue' });
  }
  const compiledActions = input.actions.flatMap((action, index) => {
    const compiled = compileAction(action);
    if (compiled.ok) return [compiled];
    problems.actions.push({ description: `Action ${index + 1}: ${compiled.problem}`, error: 'InvalidValue' });
    return [];
  });
  if (problems.conditions.length || problems.actions.length) return { ok: false, problems };
  const conditions = {
    all: all.map((compiled): Condition => compiled.condition),
    any: any.map((compiled): Condition => compiled.condition),
  };
  return {
    ok: true,
    rule: {
      conditions,
      actions: compiledActions.map((compiled) => compiled.action),
      all,
      any,
      compiledActions,
    },
  };
};

export const validationErrorOf = (problems: RuleProblems): ValidationError =>
  new ValidationError(
    Object.fromEntries(Object.entries(problems).filter(([, list]) => list.length > 0)) as Record<
      string,
      FieldError[]
    >,
  );

/** Compiles a rule or throws the 422 naming every problem. */
export const compileRuleOrThrow = (input: RuleDefinitionInput, kind: RuleKind): CompiledRule => {
  const compiled = compileRule(input, kind);
  if (!compiled.ok) throw validationErrorOf(compiled.problems);
  return compiled.rule;
};

/** Zendesk: every `all` condition holds and, when there are `any` conditions, at least one does. */
export const ruleMatches = (rule: CompiledRule, context: RuleContext): boolean =>
  rule.all.every((condition) => condition.test(context)) &&
  (rule.any.length === 0 || rule.any.some((condition) => condition.test(context)));

export const applyRule = (rule: CompiledRule, state: ActionState, context: RuleContext): ActionState =>
  applyActions(rule.compiledActions, state, context);
