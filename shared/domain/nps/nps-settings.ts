/**
 * The account's NPS settings (an admin edits them through /api/v2/nps/settings). Surveys are off until
 * an admin turns them on: a desk must decide to mail its customers on a cadence.
 */
import * as z from 'zod';

export const npsSettingsSchema = z.object({
  enabled: z.boolean(),
  /** "Interacted recently": requested a ticket that changed, or commented, within this many days. */
  interaction_days: z.number().int().min(1).max(365),
  /** Nobody is surveyed twice within this many days (the cadence window). */
  quiet_days: z.number().int().min(1).max(3650),
  /** At most this many surveys a day, drawn uniformly from everyone eligible. */
  daily_cap: z.number().int().min(0).max(100_000),
  /** Days a link stays valid, and within which a person may change their answer. */
  response_days: z.number().int().min(1).max(90),
  /** Open a ticket, with the person's comment, for each detractor's response. */
  detractor_follow_up: z.boolean(),
});

export type NpsSettings = z.infer<typeof npsSettingsSchema>;

export const DEFAULT_NPS_SETTINGS: NpsSettings = {
  enabled: false,
  interaction_days: 30,
  quiet_days: 90,
  daily_cap: 500,
  response_days: 14,
  detractor_follow_up: false,
};

/** What PUT accepts: any subset, merged over the stored settings. */
export const npsSettingsChangesSchema = npsSettingsSchema.partial().strict();
