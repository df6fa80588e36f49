/** Agent groups in the directory table. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Group } from '../../domain/directory/group.ts';
import { UpdateConflictError } from '../../domain/errors.ts';
import { batchGetItems } from '../batch-get.ts';
import { allocateId } from '../counters.ts';
import { documentClient, isConditionFailure } from '../dynamo.ts';
import { fromItem, type Item, toItem } from '../items.ts';
import { type Page, type PageRequest, queryPage } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';

const table = () => physicalTableName('directory');
const groupKey = (id: number) => ({ pk: `GROUP#${id}`, sk: 'GROUP' });
const groupItem = (group: Group): Item =>
  toItem(group, { ...groupKey(group.id), kind: group.deleted ? 'deleted_group' : 'group' }, { id: group.id });

export const allocateGroupId = () => allocateId('directory', 'group');

export const getGroup = async (id: number): Promise<Group | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: groupKey(id) }));
  return result.Item ? fromItem<Group>(result.Item) : undefined;
};

export const getGroups = async (ids: readonly number[]): Promise<Group[]> =>
  (await batchGetItems(table(), [...new Set(ids)].map(groupKey)))
    .map((item) => fromItem<Group>(item))
    .sort((a, b) => a.id - b.id);

export const createGroup = async (group: Group): Promise<Group> => {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: groupItem(group),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return group;
};

/** Writes `next` over `previous` unless someone changed the group meanwhile. */
export const replaceGroup = async (previous: Group, next: Group): Promise<Group> => {
  const stored = { ...next, version: previous.version + 1 };
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: groupItem(stored),
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

export const listGroups = (page: PageRequest): Promise<Page<Group>> =>
  queryPage(
    {
      tableName: table(),
      indexName: 'byKind',
      partitionKeyName: 'kind',
      partitionKeyValue: 'group',
      sortKeyName: 'id',
    },
    page,
    (item) => fromItem<Group>(item),
  );
