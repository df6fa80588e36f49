/** Trigger and automation request bodies; conditions and actions are checked in depth by the rule engine. */
import * as z from 'zod';
import { actionSchema } from '../../domain/rules/actions.ts';
import { conditionsSchema } from '../../domain/rules/conditions.ts';

const ruleInput = z.object({
  title: z.string().optional(),
  description: z.string().nullish(),
  active: z.boolean().optional(),
  position: z.number().int().nonnegative().optional(),
  category_id: z.union([z.string(), z.number()]).nullish(),
  conditions: conditionsSchema.optional(),
  actions: z.array(actionSchema).optional(),
});

export type RuleInput = z.infer<typeof ruleInput>;

export const triggerBody = z.object({ trigger: ruleInput });
export const automationBody = z.object({ automation: ruleInput });

const ruleIds = z.array(z.coerce.number().int().positive()).min(1);
export const triggerOrderBody = z.object({ trigger_ids: ruleIds });
export const automationOrderBody = z.object({ automation_ids: ruleIds });
