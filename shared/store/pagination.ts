/**
 * Paginated index queries, in Zendesk's two styles. Cursor pages read one extra item to know for sure
 * whether another page exists (so `links.next` is null on the last page, which node-zendesk relies on).
 * Offset pages have no way to skip in DynamoDB, so they read past the earlier pages; Zendesk caps
 * offset paging at 10,000 records and so do we.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { InvalidRequestError } from '../domain/errors.ts';
import { documentClient } from './dynamo.ts';
import { PARTITION_KEY, SORT_KEY } from './tables.ts';

export const MAX_PAGE_SIZE = 100;
export const MAX_OFFSET_RECORDS = 10_000;

export type PageRequest =
  | { mode: 'cursor'; size: number; after?: string; before?: string; descending: boolean }
  | { mode: 'offset'; page: number; perPage: number; descending: boolean };

export interface Page<T> {
  items: T[];
  hasMore: boolean;
  /** Cursor mode only. */
  afterCursor: string | null;
  beforeCursor: string | null;
  /** Whether records exist before this page (offset: page > 1; cursor: a `before` page is possible). */
  hasPrevious: boolean;
  /** Offset mode only: the total number of records in the list. */
  count?: number;
}

/** A key-condition query over one index partition, e.g. all tickets of a requester. */
export interface IndexQuery {
  tableName: string;
  /** Omit to query the table itself (then the keys are `pk` and `sk`). */
  indexName?: string;
  partitionKeyName: string;
  partitionKeyValue: string | number;
  sortKeyName: string;
  /** Only items whose sort key starts with this (e.g. `COMMENT#` within a ticket's partition). */
  sortKeyPrefix?: string;
  /** Only items whose sort key lies between these, both included (a time range on `gsi_updated`). */
  sortKeyBetween?: readonly [string, string];
  /** Extra filter, applied after the read (counts against capacity; keep it selective). */
  filter?: Pick<
    QueryCommandInput,
    'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
  >;
}

const encodeCursor = (key: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

const decodeCursor = (cursor: string, query: IndexQuery, parameter: string): Record<string, unknown> => {
  const expected = [PARTITION_KEY.name, SORT_KEY.name, query.partitionKeyName, query.sortKeyName].sort();
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const names = Object.keys(key).sort();
    const valid =
      names.length === new Set(expected).size &&
      names.every((name) => expected.includes(name)) &&
      Object.values(key).every((value) => typeof value === 'string' || typeof value === 'number') &&
      key[query.partitionKeyName] === query.partitionKeyValue;
    if (valid) return key;
  } catch {
    // fall through to the error below
  }
  throw new InvalidRequestError(`${parameter} is not valid`, 'InvalidPaginationParameter');
};

const keyOf = (item: Record<string, unknown>, query: IndexQuery): Record<string, unknown> =>
  Object.fromEntries(
    [PARTITION_KEY.name, SORT_KEY.name, query.partitionKeyName, query.sortKeyName].map((name) => [
      name,
      item[name],
    ]),
  );

const sortKeyCondition = (query: IndexQuery): { expression: string; values: Record<string, string> } => {
  if (query.sortKeyBetween) {
    const [from, to] = query.sortKeyBetween;
    return { expression: ' AND #sk BETWEEN :from AND :to', values: { ':from': from, ':to': to } };
  }
  if (query.sortKeyPrefix !== undefined) {
    return { expression: ' AND begins_with(#sk, :prefix)', values: { ':prefix': query.sortKeyPrefix } };
  }
  return { expression: '', values: {} };
};

const baseInput = (query: IndexQuery, forward: boolean): QueryCommandInput => {
  const sortKey = sortKeyCondition(query);
  return {
    TableName: query.tableName,
    IndexName: query.indexName,
    KeyConditionExpression: `#pk = :pk${sortKey.expression}`,
    ...query.filter,
    ExpressionAttributeNames: {
      '#pk': query.partitionKeyName,
      ...(sortKey.expression ? { '#sk': query.sortKeyName } : {}),
      ...query.filter?.ExpressionAttributeNames,
    },
    ExpressionAttributeValues: {
      ':pk': query.partitionKeyValue,
      ...sortKey.values,
      ...query.filter?.ExpressionAttributeValues,
    },
    ScanIndexForward: forward,
  };
};

/** Reads up to `limit` matching items starting after `startKey` (filters may need several reads). */
const readItems = async (
  input: QueryCommandInput,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let exclusiveStartKey = startKey;
  do {
    const result = await documentClient().send(
      new QueryCommand({ ...input, Limit: limit - items.length, ExclusiveStartKey: exclusiveStartKey }),
    );
    items.push(...((result.Items ?? []) as Record<string, unknown>[]));
    exclusiveStartKey = result.LastEvaluatedKey;
  } while (exclusiveStartKey && items.length < limit);
  return items;
};

const countItems = async (input: QueryCommandInput): Promise<number> => {
  let count = 0;
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const result = await documentClient().send(
      new QueryCommand({ ...input, Select: 'COUNT', ExclusiveStartKey: exclusiveStartKey }),
    );
    count += result.Count ?? 0;
    exclusiveStartKey = result.LastEvaluatedKey;
  } while (exclusiveStartKey);
  return count;
};

export const queryPage = async <T>(
  query: IndexQuery,
  page: PageRequest,
  fromItem: (item: Record<string, unknown>) => T,
): Promise<Page<T>> => {
  if (page.mode === 'offset') {
    const skip = (page.page - 1) * page.perPage;
    if (skip + page.perPage > MAX_OFFSET_RECORDS) {
      throw new InvalidRequestError(
        `Offset pagination is limited to ${MAX_OFFSET_RECORDS} records; use cursor pagination`,
      );
    }
    const input = baseInput(query, !page.descending);
    const [items, count] = await Promise.all([readItems(input, skip + page.perPage + 1), countItems(input)]);
    const pageItems = items.slice(skip, skip + page.perPage);
    return {
      items: pageItems.map(fromItem),
      hasMore: items.length > skip + page.perPage,
      hasPrevious: page.page > 1,
      afterCursor: null,
      beforeCursor: null,
      count,
    };
  }

  const backwards = page.before !== undefined;
  const startKey = backwards
    ? decodeCursor(page.before as string, query, 'page[before]')
    : page.after
      ? decodeCursor(page.after, query, 'page[after]')
      : undefined;
  const forward = backwards ? page.descending : !page.descending;
  const items = await readItems(baseInput(query, forward), page.size + 1, startKey);
  const more = items.length > page.size;
  const pageItems = items.slice(0, page.size);
  if (backwards) pageItems.reverse();
  const first = pageItems[0];
  const last = pageItems.at(-1);
  return {
    items: pageItems.map(fromItem),
    // Walking backwards, "more" means more before; after is known to exist (we came from there).
    hasMore: backwards ? pageItems.length > 0 : more,
    hasPrevious: backwards ? more : startKey !== undefined,
    afterCursor: last ? encodeCursor(keyOf(last, query)) : null,
    beforeCursor: first ? encodeCursor(keyOf(first, query)) : null,
  };
};

/** Every item of one kind (byKind index), for small, bounded sets such as rule or field definitions. */
export const queryAllOfKind = async (tableName: string, kind: string): Promise<Record<string, unknown>[]> => {
  const input = baseInput(
    { tableName, indexName: 'byKind', partitionKeyName: 'kind', partitionKeyValue: kind, sortKeyName: 'id' },
    true,
  );
  const items: Record<string, unknown>[] = [];
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const result = await documentClient().send(
      new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStartKey }),
    );
    items.push(...((result.Items ?? []) as Record<string, unknown>[]));
    exclusiveStartKey = result.LastEvaluatedKey;
  } while (exclusiveStartKey);
  return items;
};
