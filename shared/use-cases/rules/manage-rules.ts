/**
 * Trigger and automation definitions. Every save compiles the rule, so a stored rule always runs:
 * unknown fields, operators, values and unparsable Liquid are 422s naming the problem, and
 * automations must also pass Zendesk's fire-once checks. New rules go last unless given a position.
 */
import { NotFoundError, UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import { automationProblems } from '../../domain/rules/automation-rules.ts';
import {
  type CompiledRule,
  compileRuleOrThrow,
  type RuleDefinitionInput,
} from '../../domain/rules/compile-rule.ts';
import type { RuleKind } from '../../domain/rules/condition-fields.ts';
import { byPosition, type RuleRecord } from '../../domain/rules/rule-record.ts';
import type { RuleInput } from '../../http/schemas/rule-input.ts';
import {
  allocateRuleId,
  getRule,
  listAllRules,
  putRule,
  deleteRule as removeRule,
} from '../../store/rules.ts';

/** A rule whose conditions and actions are still as the client sent them. */
type RuleDraft = Omit<RuleRecord, 'conditions' | 'actions'> & RuleDefinitionInput;

/** Compiles a definition as a rule of `kind`, or throws the 422 that names what is wrong. */
export const compileDefinition = (definition: RuleDefinitionInput, kind: RuleKind): CompiledRule => {
  const rule = compileRuleOrThrow(definition, kind);
  if (kind === 'automation') {
    const problems = automationProblems(rule);
    if (problems.length) throw new ValidationError({ conditions: problems });
  }
  return rule;
};

const checked = (record: RuleDraft): RuleRecord => {
  if (!record.title.trim()) throw ValidationError.field('title', 'Title: cannot be blank', 'BlankValue');
  const rule = compileDefinition(record, record.kind);
  return { ...record, conditions: rule.conditions, actions: rule.actions };
};

export const getLiveRule = async (kind: RuleKind, id: number): Promise<RuleRecord> => {
  const rule = await getRule(kind, id);
  if (!rule) throw new NotFoundError();
  return rule;
};

export const listRules = async (kind: RuleKind, options: { activeOnly: boolean }): Promise<RuleRecord[]> => {
  const rules = await listAllRules(kind);
  return options.activeOnly ? rules.filter((rule) => rule.active) : rules;
};

const categoryOf = (kind: RuleKind, input: RuleInput): string | null =>
  kind === 'trigger' && input.category_id !== undefined && input.category_id !== null
    ? String(input.category_id)
    : null;

export const createRule = async (kind: RuleKind, input: RuleInput, now: string): Promise<RuleRecord> => {
  if (!input.conditions)
    throw ValidationError.field('conditions', 'Conditions: cannot be blank', 'BlankValue');
  if (!input.actions) throw ValidationError.field('actions', 'Actions: cannot be blank', 'BlankValue');
  // Checked before an id is spent on it.
  const valid = checked({
    kind,
    title: input.title ?? '',
    description: input.description ?? null,
    active: input.active ?? true,
    category_id: categoryOf(kind, input),
    default: false,
    conditions: input.conditions,
    actions: input.actions,
    created_at: now,
    updated_at: now,
    version: 1,
    id: 0,
    position: 0,
  });
  const existing = await listAllRules(kind);
  const position = input.position ?? (existing.at(-1)?.position ?? 0) + 1;
  return putRule({ ...valid, id: await allocateRuleId(kind), position });
};

const changeRule = async (
  kind: RuleKind,
  id: number,
  change: (rule: RuleRecord) => RuleRecord,
): Promise<RuleRecord> => {
  for (let attempt = 1; ; attempt++) {
    const rule = await getLiveRule(kind, id);
    try {
      return await putRule(change(rule), rule);
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === 3) throw error;
    }
  }
};

export const updateRule = (kind: RuleKind, id: number, input: RuleInput, now: string): Promise<RuleRecord> =>
  changeRule(kind, id, (rule) =>
    checked({
      ...rule,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
      ...(input.category_id !== undefined ? { category_id: categoryOf(kind, input) } : {}),
      ...(input.conditions ? { conditions: input.conditions } : {}),
      ...(input.actions ? { actions: input.actions } : {}),
      updated_at: now,
    }),
  );

export const deleteRule = async (kind: RuleKind, id: number): Promise<void> => {
  await getLiveRule(kind, id);
  await removeRule(kind, id);
};

/**
 * The listed rules take positions 1..n in the order given; the others keep their order after them.
 * Each rule is written on its own (no transaction: a list may exceed DynamoDB's 100-item limit).
 */
export const reorderRules = async (
  kind: RuleKind,
  ids: readonly number[],
  now: string,
): Promise<RuleRecord[]> => {
  const rules = await listAllRules(kind);
  const unknown = ids.filter((id) => !rules.some((rule) => rule.id === id));
  if (unknown.length) {
    throw ValidationError.field(
      `${kind}_ids`,
      `${kind} ids not found: ${unknown.join(', ')}`,
      'InvalidValue',
    );
  }
  const ordered = [
    ...ids.map((id) => rules.find((rule) => rule.id === id) as RuleRecord),
    ...rules.filter((rule) => !ids.includes(rule.id)),
  ];
  const reordered = await Promise.all(
    ordered.map((rule, index) =>
      rule.position === index + 1 ? rule : putRule({ ...rule, position: index + 1, updated_at: now }, rule),
    ),
  );
  return reordered.sort(byPosition);
};
