/**
 * The order of a view's tickets: by the group column first (when the view groups), then by the sort
 * column, then by ticket id, each in its own direction. Every ticket has a distinct key, so a cursor
 * can name a position by key even after the ticket that was there has left the view.
 */

import type { ColumnId, SortOrder, ViewExecution } from './view.ts';
import { compareColumnValues, type TicketFacts } from './view-columns.ts';
import { storedColumn } from './view-definition.ts';

export type OrderKey = [group: unknown, sort: unknown, id: number];

export interface ViewOrder {
  key: (facts: TicketFacts) => OrderKey;
  compare: (left: OrderKey, right: OrderKey) => number;
  /** Whether reading the key needs ticket metrics. */
  needsMetrics: boolean;
}

export interface SortOverride {
  sort_by?: ColumnId | undefined;
  sort_order?: SortOrder | undefined;
}

const directed = (order: SortOrder, comparison: number) => (order === 'asc' ? comparison : -comparison);

/** The stored execution's order, with `sort_by`/`sort_order` from the request taking precedence. */
export const viewOrder = (execution: ViewExecution, override: SortOverride = {}): ViewOrder => {
  const sortColumn = storedColumn(execution, override.sort_by ?? execution.sort_by);
  const groupColumn = execution.group_by === null ? undefined : storedColumn(execution, execution.group_by);
  const sortOrder = override.sort_order ?? execution.sort_order;
  const sortValueOrder = sortColumn?.order ?? 'number';
  const groupValueOrder = groupColumn?.order ?? 'number';
  return {
    key: (facts) => [
      groupColumn ? groupColumn.value(facts) : null,
      sortColumn ? sortColumn.value(facts) : null,
      facts.ticket.id,
    ],
    compare: (left, right) =>
      directed(execution.group_order, compareColumnValues(groupValueOrder, left[0], right[0])) ||
      directed(sortOrder, compareColumnValues(sortValueOrder, left[1], right[1])) ||
      directed(sortOrder, left[2] - right[2]),
    needsMetrics: Boolean(sortColumn?.needsMetrics || groupColumn?.needsMetrics),
  };
};
