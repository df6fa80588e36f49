/**
 * Field and form definitions in the config table, one item per definition, listed through `byKind` in
 * id order. A user/organization field's `key` is claimed in the same transaction as its creation, so
 * two fields can never share a key. Definitions carry a version for conditional updates.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import { allocateId, allocateIds } from '../counters.ts';
import { documentClient, isConditionFailure } from '../dynamo.ts';
import { fromItem, type Item, toItem } from '../items.ts';
import { type IndexQuery, type Page, type PageRequest, queryAllOfKind, queryPage } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';
import { TransactionConflict, writeTransaction } from '../transactions.ts';
import { claimItem, releaseItem } from '../unique-claims.ts';

export type DefinitionKind = 'ticket_field' | 'ticket_form' | 'user_field' | 'organization_field';

export type Stored<T> = T & { version: number };

const table = () => physicalTableName('config');
const definitionKey = (kind: DefinitionKind, id: number) => ({
  pk: `${kind.toUpperCase()}#${id}`,
  sk: 'DEFINITION',
});
const definitionItem = <T extends { id: number }>(kind: DefinitionKind, record: T): Item =>
  toItem(record, { ...definitionKey(kind, record.id), kind }, { id: record.id });
const keyNamespace = (kind: DefinitionKind) => `${kind.toUpperCase()}_KEY`;

export const allocateDefinitionId = (kind: DefinitionKind) => allocateId('config', kind);

/** The first of `count` consecutive option ids (none allocated when count is 0). */
export const allocateOptionIds = async (count: number): Promise<number[]> => {
  if (count === 0) return [];
  const { custom_field_option: first } = await allocateIds('config', { custom_field_option: count });
  return Array.from({ length: count }, (_, index) => first + index);
};

export const getDefinition = async <T>(kind: DefinitionKind, id: number): Promise<Stored<T> | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: definitionKey(kind, id) }),
  );
  return result.Item ? fromItem<Stored<T>>(result.Item) : undefined;
};

/** Writes a new definition; `uniqueKey` (user/org fields) is claimed with it, else a 422 on `key`. */
export const insertDefinition = async <T extends { id: number }>(
  kind: DefinitionKind,
  record: T,
  uniqueKey?: string,
): Promise<Stored<T>> => {
  const stored = { ...record, version: 1 };
  const put = {
    label: 'record',
    item: {
      Put: {
        TableName: table(),
        Item: definitionItem(kind, stored),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  };
  const claims =
    uniqueKey === undefined
      ? []
      : [{ label: 'key', item: claimItem(table(), keyNamespace(kind), uniqueKey, record.id) }];
  try {
    await writeTransaction([put, ...claims]);
  } catch (error) {
    if (error instanceof TransactionConflict && error.labels.includes('key')) {
      throw ValidationError.field(
        'key',
        `Key: ${uniqueKey} is already used by another field`,
        'DuplicateValue',
      );
    }
    throw error;
  }
  return stored;
};

/** Writes `next` over `previous` unless someone changed the definition meanwhile. */
export const replaceDefinition = async <T extends { id: number }>(
  kind: DefinitionKind,
  previous: Stored<T>,
  next: T,
): Promise<Stored<T>> => {
  const stored = { ...next, version: previous.version + 1 };
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: definitionItem(kind, stored),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': previous.version },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new UpdateConflictError();
    throw error;
  }
  return stored;
};

export const deleteDefinition = async (
  kind: DefinitionKind,
  id: number,
  uniqueKey?: string,
): Promise<void> => {
  if (uniqueKey === undefined) {
    await documentClient().send(new DeleteCommand({ TableName: table(), Key: definitionKey(kind, id) }));
    return;
  }
  await writeTransaction([
    { label: 'record', item: { Delete: { TableName: table(), Key: definitionKey(kind, id) } } },
    { label: 'key', item: releaseItem(table(), keyNamespace(kind), uniqueKey, id) },
  ]);
};

const kindQuery = (kind: DefinitionKind, filter?: IndexQuery['filter']): IndexQuery => ({
  tableName: table(),
  indexName: 'byKind',
  partitionKeyName: 'kind',
  partitionKeyValue: kind,
  sortKeyName: 'id',
  ...(filter ? { filter } : {}),
});

/** One page of definitions; `onlyWhereTrue` keeps those whose flag is set (end-users' lists). */
export const listDefinitions = <T>(
  kind: DefinitionKind,
  page: PageRequest,
  onlyWhereTrue?: 'visible_in_portal' | 'end_user_visible',
): Promise<Page<Stored<T>>> =>
  queryPage(
    kindQuery(
      kind,
      onlyWhereTrue
        ? {
            FilterExpression: '#flag = :true',
            ExpressionAttributeNames: { '#flag': onlyWhereTrue },
            ExpressionAttributeValues: { ':true': true },
          }
        : undefined,
    ),
    page,
    (item) => fromItem<Stored<T>>(item),
  );

/**
 * Every definition of a kind, for validating a write: one Query (definitions are few and small, so a
 * single 1 MB page holds them; further pages are read if not). Not cached across invocations, so a
 * changed definition applies to the very next write.
 */
export const allDefinitions = async <T>(kind: DefinitionKind): Promise<T[]> =>
  (await queryAllOfKind(table(), kind)).map((item) => fromItem<T>(item));
