/**
 * Key bounds on the tickets' update order: `gsi_updated` = `updated_at#<padded id>`, the sort key of
 * the byStatus, byGroupStatus and byUpdated indexes.
 */
import type { UpdatedAtRange } from '../../domain/rules/updated-at-range.ts';

/** Sorts after every `updated_at#<digits>` of the same instant, so a bound covers that whole second. */
export const afterEveryIdOf = (timestamp: string) => `${timestamp}#~`;

/** Before and after every key (timestamps start with a digit); DynamoDB takes no empty key value. */
const BEFORE_ALL = '0';
const AFTER_ALL = '~';

/** The keys of a range as inclusive BETWEEN bounds; undefined when the range bounds nothing. */
export const updateOrderBetween = (range: UpdatedAtRange): readonly [string, string] | undefined => {
  if (range.updatedAfter === undefined && range.updatedAtOrBefore === undefined) return undefined;
  return [
    range.updatedAfter === undefined ? BEFORE_ALL : afterEveryIdOf(range.updatedAfter),
    range.updatedAtOrBefore === undefined ? AFTER_ALL : afterEveryIdOf(range.updatedAtOrBefore),
  ];
};
