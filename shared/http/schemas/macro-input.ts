/** Macro request bodies; actions are checked in depth by the macro compiler at save time. */
import * as z from 'zod';
import { MACRO_ACCESS } from '../../domain/macros/macro.ts';
import { MACRO_SORTS } from '../../domain/macros/macro-list.ts';
import { USAGE_WINDOWS, type UsageWindow } from '../../domain/macros/macro-usage.ts';
import { actionSchema } from '../../domain/rules/actions.ts';
import { recordId } from './ticket-input.ts';

/** `{type: "Group", id | ids}` or `{type: "User", id}`; null shares the macro with every agent. */
const restrictionInput = z
  .object({
    type: z.enum(['Group', 'User']),
    id: recordId.optional(),
    ids: z.array(recordId).max(100).optional(),
  })
  .nullable();

const macroInput = z.object({
  title: z.string().max(255).optional(),
  description: z.string().max(65_535).nullish(),
  active: z.boolean().optional(),
  position: z.number().int().nonnegative().optional(),
  restriction: restrictionInput.optional(),
  actions: z.array(actionSchema).max(100).optional(),
});

export type MacroInput = z.infer<typeof macroInput>;
export type RestrictionInput = z.infer<typeof restrictionInput>;

export const macroBody = z.object({ macro: macroInput });

const macroChange = z.object({
  id: recordId,
  active: z.boolean().optional(),
  position: z.number().int().nonnegative().optional(),
});

export type MacroChange = z.infer<typeof macroChange>;

/** Zendesk's update_many changes only `active` and `position`; one transaction, so at most 100. */
export const macroUpdateManyBody = z.object({ macros: z.array(macroChange).min(1).max(100) });

/** `include=usage_7d,usage_30d`: the usage windows to add; other sideloads are ignored, as Zendesk does. */
const usageWindows = z
  .string()
  .transform((include) =>
    include.split(',').filter((name): name is UsageWindow => Object.hasOwn(USAGE_WINDOWS, name.trim())),
  );

/** Query parameters of the macro lists; a bad value is a 400 naming the parameter. */
export const macroListQuery = z.object({
  include: usageWindows.optional(),
  access: z.enum(MACRO_ACCESS).optional(),
  active: z
    .enum(['true', 'false'])
    .transform((active) => active === 'true')
    .optional(),
  group_id: recordId.optional(),
  sort_by: z.enum(MACRO_SORTS).optional(),
  sort_order: z.enum(['asc', 'desc']).optional(),
  query: z.string().max(255).optional(),
});
