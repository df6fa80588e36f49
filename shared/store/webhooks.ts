/**
 * Webhooks, their invocation history and their delivery claims, in the config table.
 *
 * - Webhooks share one partition (`WEBHOOKS`), sorted by ULID, i.e. by creation time. The record is
 *   nested under `webhook` because the table's byKind index types `id` as a number, and a ULID
 *   string in that attribute would be rejected.
 * - Under `WEBHOOK#<id>`: one `INVOCATION#<invocation id>` item per call, updated by each attempt, and
 *   one `DELIVERED#<invocation id>` claim once a call succeeded. Both expire (TTL). The invocation id
 *   is stored as `invocation_id` for the same reason. Invocations are listed newest first through the
 *   byKind index (kind `WEBHOOK_INVOCATION#<webhook id>`, `id` = the call's time in epoch ms), so one is
 *   also found by its id alone, which the attempts API needs.
 * - Each attempt is kept in the invocation item as `attempt_log_<slot>` (a ring of the last
 *   MAX_RECORDED_ATTEMPTS attempts, written by the attempt's own update), so recording an attempt
 *   stays one write.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { UpdateConflictError } from '../domain/errors.ts';
import { INVOCATION_RETENTION_SECONDS } from '../domain/webhooks/delivery-policy.ts';
import { attemptSlot, type Invocation, type InvocationAttempt } from '../domain/webhooks/invocation.ts';
import type { Webhook } from '../domain/webhooks/webhook.ts';
import { documentClient, isConditionFailure } from './dynamo.ts';
import { type Page, type PageRequest, queryPage } from './pagination.ts';
import { physicalTableName } from './tables.ts';
import { TransactionConflict, writeTransaction } from './transactions.ts';

const table = () => physicalTableName('config');
const WEBHOOKS_PARTITION = 'WEBHOOKS';
const webhookKey = (id: string) => ({ pk: WEBHOOKS_PARTITION, sk: `WEBHOOK#${id}` });
const historyPartition = (webhookId: string) => `WEBHOOK#${webhookId}`;
const invocationKey = (webhookId: string, invocationId: string) => ({
  pk: historyPartition(webhookId),
  sk: `INVOCATION#${invocationId}`,
});
const invocationKind = (webhookId: string) => `WEBHOOK_INVOCATION#${webhookId}`;
const ATTEMPT_ATTRIBUTE = /^attempt_log_\d+$/;
const claimKey = (webhookId: string, invocationId: string) => ({
  pk: historyPartition(webhookId),
  sk: `DELIVERED#${invocationId}`,
});

const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + INVOCATION_RETENTION_SECONDS;

export const getWebhook = async (id: string): Promise<Webhook | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: webhookKey(id) }));
  return result.Item?.webhook as Webhook | undefined;
};

export const listWebhooks = (page: PageRequest): Promise<Page<Webhook>> =>
  queryPage(
    {
      tableName: table(),
      partitionKeyName: 'pk',
      partitionKeyValue: WEBHOOKS_PARTITION,
      sortKeyName: 'sk',
      sortKeyPrefix: 'WEBHOOK#',
    },
    page,
    (item) => item.webhook as Webhook,
  );

/** Writes a new webhook, or `next` over `previous` unless someone changed it meanwhile. */
export const putWebhook = async (next: Webhook, previous?: Webhook): Promise<Webhook> => {
  const stored = previous ? { ...next, version: previous.version + 1 } : next;
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { ...webhookKey(stored.id), webhook: stored },
        ...(previous
          ? {
              ConditionExpression: 'webhook.version = :version',
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

export const deleteWebhook = async (id: string): Promise<void> => {
  await documentClient().send(new DeleteCommand({ TableName: table(), Key: webhookKey(id) }));
};

const invocationFromItem = (item: Record<string, unknown>): Invocation => {
  const invocation: Record<string, unknown> = {};
  const attemptLog: InvocationAttempt[] = [];
  for (const [name, value] of Object.entries(item)) {
    if (ATTEMPT_ATTRIBUTE.test(name)) attemptLog.push(value as InvocationAttempt);
    else if (!['pk', 'sk', 'kind', 'id', 'expires_at', 'invocation_id'].includes(name))
      invocation[name] = value;
  }
  attemptLog.sort((left, right) => left.number - right.number);
  return { ...invocation, id: item.invocation_id, attempt_log: attemptLog } as Invocation;
};

/** Newest first. */
export const listInvocations = (webhookId: string, page: PageRequest): Promise<Page<Invocation>> =>
  queryPage(
    {
      tableName: table(),
      indexName: 'byKind',
      partitionKeyName: 'kind',
      partitionKeyValue: invocationKind(webhookId),
      sortKeyName: 'id',
    },
    { ...page, descending: !page.descending },
    invocationFromItem,
  );

export const getInvocation = async (
  webhookId: string,
  invocationId: string,
): Promise<Invocation | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: invocationKey(webhookId, invocationId) }),
  );
  return result.Item && invocationFromItem(result.Item);
};

export const isDelivered = async (webhookId: string, invocationId: string): Promise<boolean> => {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: claimKey(webhookId, invocationId),
      ProjectionExpression: 'pk',
    }),
  );
  return result.Item !== undefined;
};

export interface AttemptRecord {
  invocation: Omit<Invocation, 'attempts' | 'updated_at' | 'attempt_log'>;
  attempt: InvocationAttempt;
  now: Date;
}

const recordAttemptUpdate = ({ invocation, attempt, now }: AttemptRecord) => {
  const { id, webhook_id, ticket_id, status, status_code, error, latency_ms, created_at } = invocation;
  return {
    TableName: table(),
    Key: invocationKey(webhook_id, id),
    UpdateExpression:
      'SET invocation_id = :id, webhook_id = :webhook, ticket_id = :ticket, #status = :status, status_code = :code, ' +
      'latency_ms = :latency, #error = :error, created_at = :created, updated_at = :updated, ' +
      'expires_at = :expires, #kind = :kind, #listed = :listed, #slot = :attempt ADD attempts :one',
    ExpressionAttributeNames: {
      '#status': 'status',
      '#error': 'error',
      '#kind': 'kind',
      '#listed': 'id',
      '#slot': `attempt_log_${attemptSlot(attempt.number)}`,
    },
    ExpressionAttributeValues: {
      ':id': id,
      ':webhook': webhook_id,
      ':ticket': ticket_id,
      ':status': status,
      ':code': status_code,
      ':latency': latency_ms,
      ':error': error,
      ':created': created_at,
      ':updated': now.toISOString(),
      ':expires': expiresAt(now),
      ':kind': invocationKind(webhook_id),
      ':listed': Date.parse(created_at),
      ':attempt': attempt,
      ':one': 1,
    },
  };
};

/** Counts one attempt that did not deliver the call. */
export const recordFailedAttempt = async (record: AttemptRecord): Promise<void> => {
  await documentClient().send(new UpdateCommand(recordAttemptUpdate(record)));
};

/**
 * Counts the delivering attempt and claims the call in one transaction. Returns false when another
 * delivery of the same event claimed it first (then this attempt's record is not written either).
 */
export const recordDelivery = async (record: AttemptRecord): Promise<boolean> => {
  const { invocation, now } = record;
  try {
    await writeTransaction([
      {
        label: 'claim',
        item: {
          Put: {
            TableName: table(),
            Item: { ...claimKey(invocation.webhook_id, invocation.id), expires_at: expiresAt(now) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      { label: 'invocation', item: { Update: recordAttemptUpdate(record) } },
    ]);
    return true;
  } catch (error) {
    if (error instanceof TransactionConflict) return false;
    throw error;
  }
};
