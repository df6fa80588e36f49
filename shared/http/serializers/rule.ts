/** Triggers and automations on the wire: Zendesk's TriggerObject and AutomationObject. */
import type { RuleRecord } from '../../domain/rules/rule-record.ts';

export const ruleUrl = (publicUrl: string, rule: Pick<RuleRecord, 'kind' | 'id'>): string =>
  `${publicUrl}/api/v2/${rule.kind}s/${rule.id}.json`;

export const serializeRule = (rule: RuleRecord, publicUrl: string): Record<string, unknown> => ({
  id: rule.id,
  url: ruleUrl(publicUrl, rule),
  title: rule.title,
  raw_title: rule.title,
  ...(rule.kind === 'trigger' ? { description: rule.description, category_id: rule.category_id } : {}),
  active: rule.active,
  position: rule.position,
  default: rule.default,
  conditions: rule.conditions,
  actions: rule.actions,
  created_at: rule.created_at,
  updated_at: rule.updated_at,
});
