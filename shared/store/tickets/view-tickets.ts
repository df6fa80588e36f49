/**
 * The index reads a view's query plan names (shared/domain/views/view-query-plan.ts): each partition
 * newest first (within its `updated_at` range, if any), up to a bound, plus the metrics of the
 * tickets read when a column or condition needs them.
 */

import type { UpdatedAtRange } from '../../domain/rules/updated-at-range.ts';
import type { Ticket } from '../../domain/tickets/ticket.ts';
import type { TicketMetrics } from '../../domain/tickets/ticket-metrics.ts';
import type { TicketIndexRead } from '../../domain/views/view-query-plan.ts';
import { batchGetItems } from '../batch-get.ts';
import { fromItem } from '../items.ts';
import { type IndexQuery, queryPage } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';
import { ticketPartition } from './tickets.ts';
import { updateOrderBetween } from './update-order.ts';

/** The update-order sort key, narrowed to the read's `updated_at` range when it has one. */
const inUpdateOrder = (range: UpdatedAtRange): Pick<IndexQuery, 'sortKeyName' | 'sortKeyBetween'> => {
  const between = updateOrderBetween(range);
  return { sortKeyName: 'gsi_updated', ...(between ? { sortKeyBetween: between } : {}) };
};

const partitionQuery = (read: TicketIndexRead): IndexQuery => {
  const tableName = physicalTableName('tickets');
  switch (read.index) {
    case 'byAssignee':
      return {
        tableName,
        indexName: read.index,
        partitionKeyName: 'gsi_assignee_id',
        partitionKeyValue: read.assigneeId,
        sortKeyName: 'id',
      };
    case 'byRequester':
      return {
        tableName,
        indexName: read.index,
        partitionKeyName: 'gsi_requester_id',
        partitionKeyValue: read.requesterId,
        sortKeyName: 'id',
      };
    case 'byGroupStatus':
      return {
        tableName,
        indexName: read.index,
        partitionKeyName: 'gsi_group_status',
        partitionKeyValue: `${read.groupId}#${read.status}`,
        ...inUpdateOrder(read),
      };
    case 'byStatus':
      return {
        tableName,
        indexName: read.index,
        partitionKeyName: 'gsi_status',
        partitionKeyValue: read.status,
        ...inUpdateOrder(read),
      };
    case 'byUpdated':
      return {
        tableName,
        indexName: read.index,
        partitionKeyName: 'kind',
        partitionKeyValue: 'ticket',
        ...inUpdateOrder(read),
      };
  }
};

export interface PartitionTickets {
  tickets: Ticket[];
  /** The partition held more than the bound; only its newest tickets were read. */
  truncated: boolean;
}

/** The newest `limit` tickets of one index partition. */
export const readTicketPartition = async (
  read: TicketIndexRead,
  limit: number,
): Promise<PartitionTickets> => {
  const page = await queryPage(
    partitionQuery(read),
    { mode: 'cursor', size: limit, descending: true },
    (item) => fromItem<Ticket>(item),
  );
  return { tickets: page.items, truncated: page.hasMore };
};

/** Metrics of these tickets by ticket id; a ticket whose metrics are not computed yet is absent. */
export const getMetricsOfTickets = async (
  ticketIds: readonly number[],
): Promise<Map<number, TicketMetrics>> => {
  const items = await batchGetItems(
    physicalTableName('tickets'),
    [...new Set(ticketIds)].map((id) => ({ pk: ticketPartition(id), sk: 'METRICS' })),
  );
  return new Map(
    items.map((item) => fromItem<TicketMetrics>(item)).map((metrics) => [metrics.ticket_id, metrics]),
  );
};
