/** SLA policy request bodies; metrics and the filter are checked in depth by shared/domain/sla. */
import * as z from 'zod';
import { conditionsSchema } from '../../domain/rules/conditions.ts';

const policyMetricInput = z.object({
  priority: z.string(),
  metric: z.string(),
  target: z.number(),
  business_hours: z.boolean().optional(),
});

const slaPolicyInput = z.object({
  title: z.string().optional(),
  description: z.string().nullish(),
  position: z.number().int().positive().optional(),
  filter: conditionsSchema.optional(),
  policy_metrics: z.array(policyMetricInput).optional(),
});

export type SlaPolicyInput = z.infer<typeof slaPolicyInput>;

export const slaPolicyBody = z.object({ sla_policy: slaPolicyInput });

/** node-zendesk sends the ids in the body; Zendesk's reference puts them in the query (`1,2,3`). */
export const slaPolicyIds = z.array(z.coerce.number().int().positive()).min(1);
export const slaPolicyOrderBody = z.object({ sla_policy_ids: slaPolicyIds });

/** `start_time` of the incremental export: Unix seconds. */
export const incrementalStartTime = z.coerce.number().int().nonnegative();
