/**
 * SLA policies: a filter (the trigger condition engine, rule kind `sla`) and targets per priority and
 * metric. Checked as a whole at save time, so a stored policy always compiles and never holds two
 * targets for the same priority and metric.
 */
import { type FieldError, ValidationError } from '../errors.ts';
import {
  type CompiledRule,
  compileRule,
  type RuleDefinitionInput,
  ruleMatches,
} from '../rules/compile-rule.ts';
import type { Conditions } from '../rules/conditions.ts';
import type { RuleContext } from '../rules/rule-context.ts';
import { TICKET_PRIORITIES, type TicketPriority } from '../tickets/ticket.ts';
import { SLA_METRICS, type SlaMetric } from './sla-timers.ts';

export interface PolicyMetric {
  priority: TicketPriority;
  metric: SlaMetric;
  /** Minutes. */
  target: number;
  business_hours: boolean;
}

export interface SlaPolicy {
  id: number;
  title: string;
  description: string;
  position: number;
  filter: Conditions;
  policy_metrics: PolicyMetric[];
  created_at: string;
  updated_at: string;
  version: number;
}

/** As the client sent it: strings are checked here so a 422 can name the unknown value. */
export interface PolicyMetricInput {
  priority: string;
  metric: string;
  target: number;
  business_hours?: boolean | undefined;
}

export type FilterInput = RuleDefinitionInput['conditions'];

export const byPosition = (a: SlaPolicy, b: SlaPolicy): number => a.position - b.position || a.id - b.id;

const isPriority = (value: string): value is TicketPriority =>
  (TICKET_PRIORITIES as readonly string[]).includes(value);
const isMetric = (value: string): value is SlaMetric => (SLA_METRICS as readonly string[]).includes(value);

/** The metrics as stored, or the 422 naming each unknown value, bad target and duplicate. */
export const checkPolicyMetrics = (inputs: readonly PolicyMetricInput[]): PolicyMetric[] => {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  const metrics = inputs.flatMap((input, index): PolicyMetric[] => {
    const at = `Policy metric ${index + 1}`;
    const before = problems.length;
    if (!isPriority(input.priority))
      problems.push({ description: `${at}: unknown priority '${input.priority}'`, error: 'InvalidValue' });
    if (!isMetric(input.metric))
      problems.push({ description: `${at}: unknown metric '${input.metric}'`, error: 'InvalidValue' });
    if (!Number.isInteger(input.target) || input.target <= 0)
      problems.push({
        description: `${at}: target must be a positive whole number of minutes, got ${input.target}`,
        error: 'InvalidValue',
      });
    const key = `${input.priority}/${input.metric}`;
    if (seen.has(key))
      problems.push({
        description: `${at}: ${input.metric} for ${input.priority} priority is already targeted`,
        error: 'DuplicateValue',
      });
    seen.add(key);
    if (problems.length > before) return [];
    return [
      {
        priority: input.priority as TicketPriority,
        metric: input.metric as SlaMetric,
        target: input.target,
        business_hours: input.business_hours ?? false,
      },
    ];
  });
  if (problems.length) throw new ValidationError({ policy_metrics: problems });
  return metrics;
};

/** A filter without conditions matches every ticket (a catch-all policy placed last). */
const MATCH_ALL: CompiledRule = {
  conditions: { all: [], any: [] },
  actions: [],
  all: [],
  any: [],
  compiledActions: [],
};

/** Compiles a policy filter with the rule engine, or throws the 422 naming each bad condition. */
export const compileSlaFilter = (filter: FilterInput): CompiledRule => {
  if (!filter.all?.length && !filter.any?.length) return MATCH_ALL;
  const compiled = compileRule({ conditions: filter, actions: [] }, 'sla');
  if (!compiled.ok) throw new ValidationError({ filter: compiled.problems.conditions });
  return compiled.rule;
};

/** Policies compiled once, matched in position order: the first whose filter holds applies. */
export const policySelector = (policies: readonly SlaPolicy[]) => {
  const compiled = [...policies]
    .sort(byPosition)
    .map((policy) => ({ policy, filter: compileSlaFilter(policy.filter) }));
  return (context: RuleContext): SlaPolicy | undefined =>
    compiled.find(({ filter }) => ruleMatches(filter, context))?.policy;
};
