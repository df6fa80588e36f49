/**
 * Satisfaction ratings in the tickets table, one per ticket solve (`RATING#<solve audit id>` in the
 * ticket's partition), written in the same transaction as the ticket's satisfaction change. They carry
 * `kind = satisfaction_rating` with their `id` (byKind: show by id) and `gsi_updated = <updated_at>#<id>`
 * (byUpdated: the list in time order, a time range being a key condition, never a scan).
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  parseScoreFilter,
  type RatingScoreFilter,
  type SatisfactionRating,
} from '../../domain/csat/satisfaction-rating.ts';
import { allocateId } from '../counters.ts';
import { documentClient } from '../dynamo.ts';
import { fromItem, toItem } from '../items.ts';
import { type IndexQuery, type Page, type PageRequest, queryPage } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';
import { ticketPartition } from '../tickets/tickets.ts';
import type { LabelledItem } from '../transactions.ts';

const table = () => physicalTableName('tickets');
const RATING_KIND = 'satisfaction_rating';
const pad = (id: number) => String(id).padStart(15, '0');
const ratingKey = (ticketId: number, solveAuditId: number) => ({
  pk: ticketPartition(ticketId),
  sk: `RATING#${pad(solveAuditId)}`,
});

export const allocateRatingId = () => allocateId('tickets', 'satisfaction_rating');

export const getRatingForSolve = async (
  ticketId: number,
  solveAuditId: number,
): Promise<SatisfactionRating | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: ratingKey(ticketId, solveAuditId) }),
  );
  return result.Item ? fromItem<SatisfactionRating>(result.Item) : undefined;
};

export const getRating = async (id: number): Promise<SatisfactionRating | undefined> => {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byKind',
      KeyConditionExpression: '#kind = :kind AND id = :id',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':kind': RATING_KIND, ':id': id },
    }),
  );
  const [item] = result.Items ?? [];
  return item ? fromItem<SatisfactionRating>(item) : undefined;
};

/**
 * The rating's put, for the ticket write's transaction: a first rating only if the solve has none
 * (one rating per solve, whoever races), a change only over the version it replaces.
 */
export const ratingWrite = (
  rating: SatisfactionRating,
  replaces: SatisfactionRating | undefined,
): LabelledItem => ({
  label: 'satisfaction_rating',
  item: {
    Put: {
      TableName: table(),
      Item: toItem(
        rating,
        { ...ratingKey(rating.ticket_id, rating.solve_audit_id), kind: RATING_KIND },
        { gsi_updated: `${rating.updated_at}#${pad(rating.id)}`, gsi_has_comment: rating.comment ? 1 : 0 },
      ),
      ...(replaces
        ? {
            ConditionExpression: 'id = :id AND updated_at = :updated',
            ExpressionAttributeValues: { ':id': replaces.id, ':updated': replaces.updated_at },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  },
});

export interface RatingListFilter {
  score?: RatingScoreFilter | undefined;
  /** ISO instants, both included. */
  from: string;
  to: string;
}

/** The score filter as a filter expression (reads still pass over the range's other ratings). */
const scoreFilter = (filter: RatingScoreFilter | undefined): IndexQuery['filter'] => {
  if (!filter) return undefined;
  const { score, withComment } = parseScoreFilter(filter);
  const conditions: string[] = [];
  const values: Record<string, unknown> = {};
  if (score) {
    conditions.push('score = :score');
    values[':score'] = score;
  }
  if (withComment !== undefined) {
    conditions.push('gsi_has_comment = :hasComment');
    values[':hasComment'] = withComment ? 1 : 0;
  }
  if (!conditions.length) return undefined;
  return { FilterExpression: conditions.join(' AND '), ExpressionAttributeValues: values };
};

export const listRatings = (filter: RatingListFilter, page: PageRequest): Promise<Page<SatisfactionRating>> =>
  queryPage(
    {
      tableName: table(),
      indexName: 'byUpdated',
      partitionKeyName: 'kind',
      partitionKeyValue: RATING_KIND,
      sortKeyName: 'gsi_updated',
      sortKeyBetween: [filter.from, `${filter.to}~`],
      filter: scoreFilter(filter.score),
    },
    page,
    (item) => fromItem<SatisfactionRating>(item),
  );
