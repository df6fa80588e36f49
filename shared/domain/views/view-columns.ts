/**
 * The columns a view may show, group and sort by (Zendesk's "View columns" table), and the value each
 * takes for a ticket. Only columns Relaydesk can fill are offered: brand, locale, ticket form, custom
 * status and "updater type" have no data behind them yet, so naming them is a 422, not an empty column.
 * Ticket fields are columns too, named by their numeric id.
 */
import { FIELD_ORDERS } from '../rules/operators.ts';
import type { Ticket } from '../tickets/ticket.ts';
import type { TicketMetrics } from '../tickets/ticket-metrics.ts';
import type { ColumnId } from './view.ts';

/** What a column value is read from: the ticket, and its metrics for the time columns that need them. */
export interface TicketFacts {
  ticket: Ticket;
  metrics?: TicketMetrics | undefined;
}

type ValueOrder = 'number' | 'text' | 'status' | 'priority';

export interface ColumnDefinition {
  title: string;
  /** The key an execute row carries the value under (references carry ids, as `<column>_id`). */
  rowKey: string;
  value: (facts: TicketFacts) => unknown;
  /** How values compare when sorting or grouping; absent when Zendesk does not sort by the column. */
  order?: ValueOrder;
  needsMetrics?: boolean;
}

const metric =
  (read: (metrics: TicketMetrics) => string | null) =>
  ({ metrics }: TicketFacts): string | null =>
    metrics ? read(metrics) : null;

export const COLUMNS: Readonly<Record<string, ColumnDefinition>> = {
  nice_id: { title: 'ID', rowKey: 'nice_id', value: ({ ticket }) => ticket.id, order: 'number' },
  // Zendesk's "Subject" column is named `description`; it cannot be sorted by.
  description: { title: 'Subject', rowKey: 'subject', value: ({ ticket }) => ticket.subject },
  status: { title: 'Status', rowKey: 'status', value: ({ ticket }) => ticket.status, order: 'status' },
  priority: {
    title: 'Priority',
    rowKey: 'priority',
    value: ({ ticket }) => ticket.priority,
    order: 'priority',
  },
  type: { title: 'Type', rowKey: 'type', value: ({ ticket }) => ticket.type, order: 'text' },
  requester: {
    title: 'Requester',
    rowKey: 'requester_id',
    value: ({ ticket }) => ticket.requester_id,
    order: 'number',
  },
  assignee: {
    title: 'Assignee',
    rowKey: 'assignee_id',
    value: ({ ticket }) => ticket.assignee_id,
    order: 'number',
  },
  submitter: { title: 'Submitter', rowKey: 'submitter_id', value: ({ ticket }) => ticket.submitter_id },
  group: { title: 'Group', rowKey: 'group_id', value: ({ ticket }) => ticket.group_id, order: 'number' },
  organization: {
    title: 'Organization',
    rowKey: 'organization_id',
    value: ({ ticket }) => ticket.organization_id,
    order: 'number',
  },
  created: { title: 'Requested', rowKey: 'created', value: ({ ticket }) => ticket.created_at, order: 'text' },
  updated: { title: 'Updated', rowKey: 'updated', value: ({ ticket }) => ticket.updated_at, order: 'text' },
  due_date: { title: 'Due Date', rowKey: 'due_date', value: ({ ticket }) => ticket.due_at, order: 'text' },
  assigned: {
    title: 'Assigned',
    rowKey: 'assigned',
    value: metric((metrics) => metrics.assigned_at),
    order: 'text',
    needsMetrics: true,
  },
  solved: {
    title: 'Solved',
    rowKey: 'solved',
    value: metric((metrics) => metrics.solved_at),
    order: 'text',
    needsMetrics: true,
  },
  updated_assignee: {
    title: 'Assignee updated',
    rowKey: 'updated_assignee',
    value: metric((metrics) => metrics.assignee_updated_at),
    order: 'text',
    needsMetrics: true,
  },
  updated_requester: {
    title: 'Requester updated',
    rowKey: 'updated_requester',
    value: metric((metrics) => metrics.requester_updated_at),
    order: 'text',
    needsMetrics: true,
  },
};

/** Names clients use for the same columns (`sort_by=updated_at` on execute, the issue's `id`). */
const ALIASES: Readonly<Record<string, string>> = {
  id: 'nice_id',
  subject: 'description',
  created_at: 'created',
  updated_at: 'updated',
  due_at: 'due_date',
};

const TICKET_FIELD_COLUMN = /^\d+$/;

/** The canonical id of a column as a client named it: a catalog name or a ticket field id. */
export const canonicalColumnId = (id: ColumnId): ColumnId => {
  if (typeof id === 'number') return id;
  if (TICKET_FIELD_COLUMN.test(id)) return Number(id);
  return ALIASES[id] ?? id;
};

const ticketFieldColumn = (fieldId: number, title: string): ColumnDefinition => ({
  title,
  rowKey: String(fieldId),
  value: ({ ticket }) => ticket.custom_fields.find((field) => field.id === fieldId)?.value ?? null,
  order: 'text',
});

/** The definition of a canonical column id; ticket fields need their title from the field definitions. */
export const columnDefinition = (
  id: ColumnId,
  ticketFieldTitles: ReadonlyMap<number, string>,
): ColumnDefinition | undefined => {
  if (typeof id === 'number') {
    const title = ticketFieldTitles.get(id);
    return title === undefined ? undefined : ticketFieldColumn(id, title);
  }
  return COLUMNS[id];
};

/** A stored column (its title was captured at save time) read back as a definition. */
export const storedColumnDefinition = (id: ColumnId, title: string): ColumnDefinition | undefined =>
  typeof id === 'number' ? ticketFieldColumn(id, title) : COLUMNS[id];

const rank = (order: 'status' | 'priority', value: unknown): number =>
  FIELD_ORDERS[order].indexOf(typeof value === 'string' ? value : '');

/** Compares two column values ascending; a missing value sorts first, as "no priority" ranks below low. */
export const compareColumnValues = (order: ValueOrder, left: unknown, right: unknown): number => {
  if (order === 'status' || order === 'priority') return rank(order, left) - rank(order, right);
  const leftMissing = left === null || left === undefined;
  const rightMissing = right === null || right === undefined;
  if (leftMissing || rightMissing) return leftMissing === rightMissing ? 0 : leftMissing ? -1 : 1;
  if (order === 'number' && typeof left === 'number' && typeof right === 'number') return left - right;
  const leftText = String(left);
  const rightText = String(right);
  return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
};
