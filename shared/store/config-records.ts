/**
 * Definitions admins manage in the config table (triggers, automations, views, SLA policies, macros):
 * one item each under its kind, so byKind lists them, written with optimistic versioning so two admins
 * editing the same definition cannot overwrite each other. An account holds hundreds at most, so lists
 * read the whole kind and callers order it in memory.
 */
import { DeleteCommand, GetCommand, PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { UpdateConflictError } from '../domain/errors.ts';
import { allocateId } from './counters.ts';
import { documentClient, isConditionFailure } from './dynamo.ts';
import { fromItem, toItem } from './items.ts';
import { queryAllOfKind } from './pagination.ts';
import { physicalTableName } from './tables.ts';

export interface VersionedRecord {
  id: number;
  version: number;
}

/** `sortKey` defaults to the kind in capitals (items `VIEW#7` / `VIEW`). */
export const configRecords = <T extends VersionedRecord>(kind: string, sortKey = kind.toUpperCase()) => {
  const table = () => physicalTableName('config');
  const partition = (id: number) => `${kind.toUpperCase()}#${id}`;
  const key = (id: number) => ({ pk: partition(id), sk: sortKey });

  /** The conditional Put of `next` (a new record, or over `previous` at its version), for transactions too. */
  const putRequest = (next: T, previous?: T): PutCommandInput => ({
    TableName: table(),
    Item: toItem(next, { ...key(next.id), kind }, { id: next.id }),
    ...(previous
      ? {
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': previous.version },
        }
      : { ConditionExpression: 'attribute_not_exists(pk)' }),
  });

  return {
    table,
    partition,
    key,
    putRequest,
    allocateId: () => allocateId('config', kind),
    get: async (id: number): Promise<T | undefined> => {
      const result = await documentClient().send(new GetCommand({ TableName: table(), Key: key(id) }));
      return result.Item ? fromItem<T>(result.Item) : undefined;
    },
    /** Every record of the kind, in id order. */
    listAll: async (): Promise<T[]> => (await queryAllOfKind(table(), kind)).map((item) => fromItem<T>(item)),
    /** Writes a new record, or `next` over `previous` unless someone changed it meanwhile (409). */
    put: async (next: T, previous?: T): Promise<T> => {
      const stored = previous ? { ...next, version: previous.version + 1 } : next;
      try {
        await documentClient().send(new PutCommand(putRequest(stored, previous)));
      } catch (error) {
        if (isConditionFailure(error)) throw new UpdateConflictError();
        throw error;
      }
      return stored;
    },
    remove: async (id: number): Promise<void> => {
      await documentClient().send(new DeleteCommand({ TableName: table(), Key: key(id) }));
    },
  };
};
