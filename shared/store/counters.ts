/**
 * Zendesk-compatible positive integer ids, allocated from atomic counters (one item per table). Several
 * counters can advance in one round trip; a failed write later leaves a gap, as Zendesk's ids do.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamo.ts';
import { physicalTableName, type TableName } from './tables.ts';

const COUNTERS_KEY = { pk: 'COUNTERS', sk: 'COUNTERS' };

/** Advances each named counter by its amount; returns the first id of each allocated range. */
export const allocateIds = async <K extends string>(
  table: TableName,
  amounts: Readonly<Record<K, number>>,
): Promise<Record<K, number>> => {
  const names = Object.keys(amounts) as K[];
  const result = await documentClient().send(
    new UpdateCommand({
      TableName: physicalTableName(table),
      Key: COUNTERS_KEY,
      UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :n${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:n${i}`, amounts[name]])),
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const attributes = result.Attributes ?? {};
  return Object.fromEntries(
    names.map((name) => [name, Number(attributes[name]) - amounts[name] + 1]),
  ) as Record<K, number>;
};

export const allocateId = async (table: TableName, counter: string): Promise<number> =>
  (await allocateIds(table, { [counter]: 1 }))[counter] as number;
