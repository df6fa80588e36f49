/**
 * View request bodies in Zendesk's write format: `all`/`any` at the top level (a nested `conditions`
 * object, as views are served, is accepted too) and `output` for columns and ordering. Conditions and
 * columns are checked in depth by the view definition compiler.
 */
import * as z from 'zod';
import { conditionSchema } from '../../domain/rules/conditions.ts';

/** Zendesk clients send ids as numbers or numeric strings (`"id": "213977756"`). */
const recordId = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+$/, 'must be an id')
    .transform((value) => Number(value)),
]);

const conditionList = z.array(conditionSchema).nullish();
const sortOrder = z.enum(['asc', 'desc']);
const columnId = z.union([z.string().min(1), z.number().int().positive()]);

const restrictionInput = z.object({
  type: z.enum(['Group', 'User']),
  id: recordId.optional(),
  ids: z.array(recordId).optional(),
});

const viewInput = z.object({
  title: z.string().optional(),
  description: z.string().nullish(),
  active: z.boolean().optional(),
  position: z.number().int().nonnegative().optional(),
  restriction: restrictionInput.nullish(),
  all: conditionList,
  any: conditionList,
  conditions: z.object({ all: conditionList, any: conditionList }).optional(),
  output: z
    .object({
      columns: z.array(columnId).optional(),
      group_by: columnId.nullish(),
      group_order: sortOrder.nullish(),
      sort_by: columnId.nullish(),
      sort_order: sortOrder.nullish(),
    })
    .optional(),
});

export type ViewInput = z.infer<typeof viewInput>;
export type RestrictionInput = z.infer<typeof restrictionInput>;

export const viewBody = z.object({ view: viewInput });

/** node-zendesk's `views.reorder(ids)` sends `view_order`; `view_ids` matches the other reorder APIs. */
export const viewOrderBody = z
  .object({
    view_order: z.array(recordId).min(1).optional(),
    view_ids: z.array(recordId).min(1).optional(),
  })
  .refine((body) => body.view_order !== undefined || body.view_ids !== undefined, {
    message: 'view_order is required',
    path: ['view_order'],
  })
  .transform((body) => body.view_order ?? body.view_ids ?? []);

/** `sort_by`/`sort_order` on execute and tickets override the view's own order for that request. */
export const viewSortQuery = z.object({
  sort_by: z.string().min(1).optional(),
  sort_order: sortOrder.optional(),
});

/** `GET /views`: `active=true|false` filters, `sort_by` orders (position unless told otherwise). */
export const viewListQuery = z.object({
  active: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  sort_by: z.enum(['position', 'alphabetical', 'created_at', 'updated_at']).optional(),
});

export type ViewListSort = NonNullable<z.infer<typeof viewListQuery>['sort_by']>;
