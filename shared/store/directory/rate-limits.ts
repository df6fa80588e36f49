/**
 * Per-user request counting in fixed one-minute windows, as Zendesk's API limits work: one atomic
 * counter item per user and minute, which expires by itself (TTL) shortly after its window.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';

export const WINDOW_SECONDS = 60;

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends (Retry-After). */
  resetSeconds: number;
}

export const countRequest = async (
  userId: number,
  limit: number,
  nowMs: number,
): Promise<RateLimitDecision> => {
  const windowStart = Math.floor(nowMs / 1000 / WINDOW_SECONDS) * WINDOW_SECONDS;
  const result = await documentClient().send(
    new UpdateCommand({
      TableName: physicalTableName('directory'),
      Key: { pk: `RATE#${userId}`, sk: String(windowStart) },
      UpdateExpression: 'ADD requests :one SET expires_at = if_not_exists(expires_at, :expires)',
      ExpressionAttributeValues: { ':one': 1, ':expires': windowStart + 2 * WINDOW_SECONDS },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const used = Number(result.Attributes?.requests ?? 1);
  return {
    allowed: used <= limit,
    limit,
    remaining: Math.max(0, limit - used),
    resetSeconds: Math.max(1, windowStart + WINDOW_SECONDS - Math.floor(nowMs / 1000)),
  };
};
