/**
 * Automatic mail counted per recipient address in fixed windows: one atomic counter item per address
 * and window in the directory table, deleted by TTL after the window.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';

/** Counts one automatic mail to `address` and returns how many the current window holds now. */
export const countAutoMail = async (
  address: string,
  nowMs: number,
  windowSeconds: number,
): Promise<number> => {
  const windowStart = Math.floor(nowMs / 1000 / windowSeconds) * windowSeconds;
  const result = await documentClient().send(
    new UpdateCommand({
      TableName: physicalTableName('directory'),
      Key: { pk: `AUTO_MAIL#${address}`, sk: String(windowStart) },
      UpdateExpression: 'ADD sent :one SET expires_at = if_not_exists(expires_at, :expires)',
      ExpressionAttributeValues: { ':one': 1, ':expires': windowStart + 2 * windowSeconds },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(result.Attributes?.sent ?? 1);
};
