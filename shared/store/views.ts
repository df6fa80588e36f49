/**
 * View definitions in the config table, one item each under kind `view`. An account holds hundreds at
 * most, so lists read the whole kind and order it in memory.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { UpdateConflictError } from '../domain/errors.ts';
import { byPosition, type ViewRecord } from '../domain/views/view.ts';
import { allocateId } from './counters.ts';
import { documentClient, isConditionFailure } from './dynamo.ts';
import { fromItem, toItem } from './items.ts';
import { queryAllOfKind } from './pagination.ts';
import { physicalTableName } from './tables.ts';

const KIND = 'view';
const table = () => physicalTableName('config');
const viewKey = (id: number) => ({ pk: `VIEW#${id}`, sk: 'VIEW' });

export const allocateViewId = () => allocateId('config', KIND);

export const getView = async (id: number): Promise<ViewRecord | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: viewKey(id) }));
  return result.Item ? fromItem<ViewRecord>(result.Item) : undefined;
};

/** Every view, in display order. */
export const listAllViews = async (): Promise<ViewRecord[]> =>
  (await queryAllOfKind(table(), KIND)).map((item) => fromItem<ViewRecord>(item)).sort(byPosition);

/** Writes a new view, or `next` over `previous` unless someone changed it meanwhile. */
export const putView = async (next: ViewRecord, previous?: ViewRecord): Promise<ViewRecord> => {
  const stored = previous ? { ...next, version: previous.version + 1 } : next;
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: toItem(stored, { ...viewKey(stored.id), kind: KIND }, { id: stored.id }),
        ...(previous
          ? {
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': previous.version },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new UpdateConflictError();
    throw error;
  }
  return stored;
};

export const deleteView = async (id: number): Promise<void> => {
  await documentClient().send(new DeleteCommand({ TableName: table(), Key: viewKey(id) }));
};
