/**
 * What a new account starts with besides its admin and tiers: the default triggers, automations,
 * views and macros a support team expects on day one (all editable afterwards). Each feature owns
 * one seeding step; seed-account runs them once, on the account's first start, in this order.
 */
import { seedDefaultAutomations } from './default-automations.ts';
import { seedDefaultMacros } from './default-macros.ts';
import { seedSystemTicketFields } from './default-ticket-fields.ts';
import { seedDefaultTriggers } from './default-triggers.ts';
import { seedDefaultViews } from './default-views.ts';
import type { SEEDED_GROUPS } from './seed-account.ts';

export interface SeedContext {
  adminId: number;
  /** The seeded tiers by name, for rules that route to them. */
  groupIds: Record<(typeof SEEDED_GROUPS)[number], number>;
  now: string;
}

export type SeedStep = (context: SeedContext) => Promise<void>;

export const DEFAULT_CONTENT: readonly SeedStep[] = [
  seedSystemTicketFields,
  seedDefaultTriggers,
  seedDefaultAutomations,
  seedDefaultMacros,
  seedDefaultViews,
];
