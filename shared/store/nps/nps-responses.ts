/**
 * NPS responses: one per survey (the survey's id is the response's id), in the tickets table beside
 * the survey. `kind = nps_response` with `gsi_updated = <created_at>#<id>` puts them on the byUpdated
 * index in answer order, so lists and summaries read one time range; the id suffix makes the sort key
 * unique, which lets a cursor name the last item read.
 */
import { GetCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { InvalidRequestError } from '../../domain/errors.ts';
import { documentClient } from '../dynamo.ts';
import { fromItem, type Item, toItem } from '../items.ts';
import { physicalTableName } from '../tables.ts';
import type { TransactItem } from '../transactions.ts';

const table = () => physicalTableName('tickets');
const RESPONSE_KIND = 'nps_response';

const responseKey = (surveyId: number) => ({ pk: `NPS_SURVEY#${surveyId}`, sk: 'RESPONSE' });

export interface NpsResponse {
  /** The survey's id. */
  id: number;
  user_id: number;
  score: number;
  comment: string;
  /** Snapshots at answer time, for segments: the person's organization and the two field sets. */
  organization_id: number | null;
  user_fields: Record<string, unknown>;
  organization_fields: Record<string, unknown>;
  /** The follow-up ticket opened for a detractor, when the account asks for them. */
  follow_up_ticket_id: number | null;
  created_at: string;
  updated_at: string;
}

const sortKeyOf = (response: Pick<NpsResponse, 'id' | 'created_at'>): string =>
  `${response.created_at}#${String(response.id).padStart(16, '0')}`;

export const getResponse = async (surveyId: number): Promise<NpsResponse | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: responseKey(surveyId) }),
  );
  return result.Item ? fromItem<NpsResponse>(result.Item) : undefined;
};

/**
 * Writes the response: the first one only if none exists, a change only over the version read
 * (`previous.updated_at`), so two answers racing on one survey cannot both win.
 */
export const responseWriteItem = (
  response: NpsResponse,
  previous: NpsResponse | undefined,
): TransactItem => ({
  Put: {
    TableName: table(),
    Item: toItem(
      response,
      { ...responseKey(response.id), kind: RESPONSE_KIND },
      { gsi_updated: sortKeyOf(response) },
    ),
    ...(previous
      ? {
          ConditionExpression: 'updated_at = :read',
          ExpressionAttributeValues: { ':read': previous.updated_at },
        }
      : { ConditionExpression: 'attribute_not_exists(pk)' }),
  },
});

export interface ResponseRange {
  /** Inclusive ISO instants. */
  from: string;
  to: string;
}

export interface ResponseFilter {
  scores?: readonly number[] | undefined;
}

/** After `to`'s second, before any `#id` suffix of the next one. */
const upperBound = (to: string) => `${to}#~`;

const rangeQuery = (range: ResponseRange, filter: ResponseFilter) => ({
  TableName: table(),
  IndexName: 'byUpdated',
  KeyConditionExpression: 'kind = :kind AND gsi_updated BETWEEN :from AND :to',
  ...(filter.scores
    ? {
        FilterExpression: `score IN (${filter.scores.map((_, i) => `:s${i}`).join(', ')})`,
      }
    : {}),
  ExpressionAttributeValues: {
    ':kind': RESPONSE_KIND,
    ':from': range.from,
    ':to': upperBound(range.to),
    ...Object.fromEntries((filter.scores ?? []).map((score, i) => [`:s${i}`, score])),
  },
});

/** Every response answered in the range (summaries): all of it is read, in pages of 1 MB. */
export const readResponses = async (range: ResponseRange): Promise<NpsResponse[]> => {
  const responses: NpsResponse[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result: QueryCommandOutput = await documentClient().send(
      new QueryCommand({ ...rangeQuery(range, {}), ExclusiveStartKey: startKey }),
    );
    responses.push(...(result.Items ?? []).map((item) => fromItem<NpsResponse>(item)));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return responses;
};

const CURSOR = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z#(\d{16})$/;

export const decodeResponseCursor = (cursor: string): Item => {
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = CURSOR.exec(sortKey)?.[1];
  if (!id) throw new InvalidRequestError('page[after] is not valid', 'InvalidPaginationParameter');
  return { ...responseKey(Number(id)), kind: RESPONSE_KIND, gsi_updated: sortKey };
};

/** One page of responses in answer order, after the cursor's response; `next` is null on the last page. */
export const listResponsesPage = async (
  range: ResponseRange,
  filter: ResponseFilter,
  page: { size: number; after?: string | undefined },
): Promise<{ responses: NpsResponse[]; next: string | null }> => {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined = page.after
    ? decodeResponseCursor(page.after)
    : undefined;
  // One more than a page, to know for sure whether another page exists.
  do {
    const result: QueryCommandOutput = await documentClient().send(
      new QueryCommand({
        ...rangeQuery(range, filter),
        Limit: page.size + 1 - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
  } while (startKey && items.length <= page.size);
  const pageItems = items.slice(0, page.size);
  const last = pageItems.at(-1);
  return {
    responses: pageItems.map((item) => fromItem<NpsResponse>(item)),
    next:
      items.length > page.size && last ? Buffer.from(String(last.gsi_updated)).toString('base64url') : null,
  };
};
