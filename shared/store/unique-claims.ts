/**
 * Uniqueness in DynamoDB: a value that must be unique (an email, an organization name, a domain) is
 * claimed by writing an item keyed by the value, conditionally, in the same transaction as the record.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const claimKey = (namespace: string, value: string) => ({ pk: `${namespace}#${value}`, sk: 'CLAIM' });

export const claimItem = (
  tableName: string,
  namespace: string,
  value: string,
  ownerId: number,
): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: { ...claimKey(namespace, value), owner_id: ownerId },
    ConditionExpression: 'attribute_not_exists(pk) OR owner_id = :owner',
    ExpressionAttributeValues: { ':owner': ownerId },
  },
});

export const releaseItem = (
  tableName: string,
  namespace: string,
  value: string,
  ownerId: number,
): TransactItem => ({
  Delete: {
    TableName: tableName,
    Key: claimKey(namespace, value),
    ConditionExpression: 'attribute_not_exists(pk) OR owner_id = :owner',
    ExpressionAttributeValues: { ':owner': ownerId },
  },
});

/** Claim changes for one unique attribute going from `before` to `after` (either may be null). */
export const claimChanges = (
  tableName: string,
  namespace: string,
  before: string | null,
  after: string | null,
  ownerId: number,
): TransactItem[] => {
  if (before === after) return [];
  return [
    ...(before === null ? [] : [releaseItem(tableName, namespace, before, ownerId)]),
    ...(after === null ? [] : [claimItem(tableName, namespace, after, ownerId)]),
  ];
};
