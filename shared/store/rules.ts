/**
 * Trigger and automation definitions in the config table, one item each under kind `trigger` or
 * `automation` (see config-records.ts).
 */
import type { RuleKind } from '../domain/rules/condition-fields.ts';
import { byPosition, type RuleRecord } from '../domain/rules/rule-record.ts';
import { configRecords } from './config-records.ts';

/** Triggers and automations, one record set per kind; `kind` is the byKind key, so it is put back on read. */
const records = (kind: RuleKind) => configRecords<RuleRecord>(kind, 'RULE');
const withKind = (kind: RuleKind, rule: RuleRecord): RuleRecord => ({ ...rule, kind });

export const allocateRuleId = (kind: RuleKind) => records(kind).allocateId();

export const getRule = async (kind: RuleKind, id: number): Promise<RuleRecord | undefined> => {
  const rule = await records(kind).get(id);
  return rule && withKind(kind, rule);
};

/** Every rule of a kind, in execution order. */
export const listAllRules = async (kind: RuleKind): Promise<RuleRecord[]> =>
  (await records(kind).listAll()).map((rule) => withKind(kind, rule)).sort(byPosition);

/** Writes a new rule, or `next` over `previous` unless someone changed it meanwhile. */
export const putRule = (next: RuleRecord, previous?: RuleRecord): Promise<RuleRecord> =>
  records(next.kind).put(next, previous);

export const deleteRule = (kind: RuleKind, id: number): Promise<void> => records(kind).remove(id);
