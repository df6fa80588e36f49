/**
 * Zendesk's trigger cycle: active triggers run in position order; when one fires, its actions apply
 * and the pass restarts from the first trigger with the updated ticket; each trigger fires at most
 * once, and the cycle ends after a pass in which nothing fires. So it ends after at most n + 1 passes
 * for n triggers, whatever the triggers do to each other.
 */
import type { ActionState, RuleCommentToAdd, RuleSideEffect } from './actions.ts';
import { applyRule, type CompiledRule, ruleMatches } from './compile-rule.ts';
import { emptyActionState, type RuleFieldChanges, ruleFieldChanges } from './rule-changes.ts';
import type { RuleContext } from './rule-context.ts';

export interface ActiveTrigger {
  id: number;
  title: string;
  position: number;
  rule: CompiledRule;
}

export interface FiredRule {
  id: number;
  title: string;
}

export interface RuleFailure extends FiredRule {
  message: string;
}

/** A notification or webhook call, with the rule that asked for it (its audit event names the rule). */
export interface AttributedSideEffect {
  rule: FiredRule;
  effect: RuleSideEffect;
}

export interface TriggerCycleResult {
  changes: RuleFieldChanges;
  comments: RuleCommentToAdd[];
  sideEffects: AttributedSideEffect[];
  ccs: Array<number | string>;
  /** In firing order: the audit's `via` rule and its metadata name them. */
  fired: FiredRule[];
  /** Triggers that threw while running; reported on the audit, the others still ran. */
  failures: RuleFailure[];
  state: ActionState;
}

const byPosition = (a: ActiveTrigger, b: ActiveTrigger) => a.position - b.position || a.id - b.id;

export const runTriggerCycle = (
  triggers: readonly ActiveTrigger[],
  context: RuleContext,
): TriggerCycleResult => {
  const ordered = [...triggers].sort(byPosition);
  const done = new Set<number>();
  const fired: FiredRule[] = [];
  const failures: RuleFailure[] = [];
  const sideEffects: AttributedSideEffect[] = [];
  let state = emptyActionState(context.ticket);
  let firedInPass = true;
  while (firedInPass) {
    firedInPass = false;
    const passContext: RuleContext = { ...context, ticket: state.ticket };
    for (const trigger of ordered) {
      if (done.has(trigger.id)) continue;
      try {
        if (!ruleMatches(trigger.rule, passContext)) continue;
        const before = state.sideEffects.length;
        state = applyRule(trigger.rule, state, passContext);
        const rule = { id: trigger.id, title: trigger.title };
        fired.push(rule);
        for (const effect of state.sideEffects.slice(before)) sideEffects.push({ rule, effect });
        firedInPass = true;
      } catch (error) {
        // A failing trigger counts as done, so it cannot fail again in this cycle.
        failures.push({
          id: trigger.id,
          title: trigger.title,
          message: error instanceof Error ? error.message : String(error),
        });
      }
      done.add(trigger.id);
      if (firedInPass) break;
    }
  }
  return {
    changes: ruleFieldChanges(context.ticket, state.ticket),
    comments: state.comments,
    sideEffects,
    ccs: state.ccs,
    fired,
    failures,
    state,
  };
};
