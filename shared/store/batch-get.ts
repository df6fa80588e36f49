import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamo.ts';
import type { Item } from './items.ts';

const MAX_KEYS_PER_CALL = 100;

/** Reads many items by key, in chunks of 100, retrying unprocessed keys. Order is not preserved. */
export const batchGetItems = async (
  tableName: string,
  keys: readonly Record<string, unknown>[],
): Promise<Item[]> => {
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += MAX_KEYS_PER_CALL) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + MAX_KEYS_PER_CALL);
    while (pending?.length) {
      const result: BatchGetCommandOutput = await documentClient().send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
      );
      items.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return items;
};
