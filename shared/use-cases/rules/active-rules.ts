/**
 * The active rules of a kind in execution order, compiled once per run. Every stored rule compiled at
 * save time; one that no longer does (the engine changed) is logged and left out, not run half-way.
 */
import { type CompiledRule, compileRule } from '../../domain/rules/compile-rule.ts';
import type { RuleKind } from '../../domain/rules/condition-fields.ts';
import { logger } from '../../observability/logger.ts';
import { listAllRules } from '../../store/rules.ts';

export interface ActiveRule {
  id: number;
  title: string;
  position: number;
  rule: CompiledRule;
}

export const activeRules = async (kind: RuleKind): Promise<ActiveRule[]> =>
  (await listAllRules(kind))
    .filter((rule) => rule.active)
    .flatMap((rule) => {
      const compiled = compileRule({ conditions: rule.conditions, actions: rule.actions }, kind);
      if (compiled.ok)
        return [{ id: rule.id, title: rule.title, position: rule.position, rule: compiled.rule }];
      logger.error('Stored rule does not compile', { kind, ruleId: rule.id, problems: compiled.problems });
      return [];
    });
