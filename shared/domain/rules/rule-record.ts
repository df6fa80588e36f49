/** Triggers and automations as stored and served (Zendesk's TriggerObject / AutomationObject). */
import type { Action } from './actions.ts';
import type { RuleKind } from './condition-fields.ts';
import type { Conditions } from './conditions.ts';

export interface RuleRecord {
  id: number;
  kind: RuleKind;
  title: string;
  description: string | null;
  active: boolean;
  /** Execution order; ties (which reorder never leaves) fall back to id order. */
  position: number;
  /** Triggers only; categories are optional and not managed here. */
  category_id: string | null;
  /** Seeded by Relaydesk rather than created by an admin. */
  default: boolean;
  conditions: Conditions;
  actions: Action[];
  created_at: string;
  updated_at: string;
  version: number;
}

export const byPosition = (a: RuleRecord, b: RuleRecord): number => a.position - b.position || a.id - b.id;
