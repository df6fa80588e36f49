/**
 * Reads the tickets an automation run may act on: one status partition of the byStatus index,
 * optionally narrowed by a key condition on its update order (`gsi_updated` = `updated_at#id`).
 */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { CandidateQuery } from '../../domain/rules/automation-candidates.ts';
import type { Ticket } from '../../domain/tickets/ticket.ts';
import { documentClient } from '../dynamo.ts';
import { fromItem } from '../items.ts';
import { physicalTableName } from '../tables.ts';
import { afterEveryIdOf } from './update-order.ts';

const sortKeyCondition = (query: CandidateQuery) => {
  const after = query.updatedAfter === undefined ? undefined : afterEveryIdOf(query.updatedAfter);
  const atOrBefore =
    query.updatedAtOrBefore === undefined ? undefined : afterEveryIdOf(query.updatedAtOrBefore);
  if (after !== undefined && atOrBefore !== undefined) {
    return {
      expression: ' AND gsi_updated BETWEEN :after AND :atOrBefore',
      values: { ':after': after, ':atOrBefore': atOrBefore },
    };
  }
  if (after !== undefined) return { expression: ' AND gsi_updated > :after', values: { ':after': after } };
  if (atOrBefore !== undefined) {
    return { expression: ' AND gsi_updated < :atOrBefore', values: { ':atOrBefore': atOrBefore } };
  }
  return { expression: '', values: {} };
};

export interface CandidatePage {
  tickets: Ticket[];
  /** Where the next page starts; undefined after the last one. */
  next?: Record<string, unknown>;
}

/**
 * The matching tickets one page at a time, least recently updated first, from `startKey` (a `next`
 * this returned) or the beginning. Pages are small so that a run's checkpoint, taken after each page,
 * is never far behind its work.
 */
export async function* candidateTicketPages(
  query: CandidateQuery,
  { startKey, pageSize = 100 }: { startKey?: Record<string, unknown>; pageSize?: number } = {},
): AsyncGenerator<CandidatePage> {
  const range = sortKeyCondition(query);
  let next = startKey;
  do {
    const page: QueryCommandOutput = await documentClient().send(
      new QueryCommand({
        TableName: physicalTableName('tickets'),
        IndexName: 'byStatus',
        KeyConditionExpression: `gsi_status = :status${range.expression}`,
        ExpressionAttributeValues: { ':status': query.status, ...range.values },
        ExclusiveStartKey: next,
        Limit: pageSize,
      }),
    );
    next = page.LastEvaluatedKey;
    yield { tickets: (page.Items ?? []).map((item) => fromItem<Ticket>(item)), ...(next ? { next } : {}) };
  } while (next);
}
