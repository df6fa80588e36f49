/**
 * Webhooks, their invocation history and their delivery claims, in the config table.
 *
 * - Webhooks share one partition (`WEBHOOKS`), sorted by ULID, i.e. by creation time. The record is
 *   nested under `webhook` because the table's byKind index types `id` as a number, and a ULID
 *   string in that attribute would be rejected.
 * - Under `WEBHOOK#<id>`: one `INVOCATION#<event time>#<invocation id>` item per call, updated by each
 *   attempt, and one `DELIVERED#<invocation id>` claim once a call succeeded. Both expire (TTL).
 *   The invocation id is stored as `invocation_id` for the same reason.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { UpdateConflictError } from '../domain/errors.ts';
import { INVOCATION_RETENTION_SECONDS } from '../domain/webhooks/delivery-policy.ts';
import type { Invocation } from '../domain/webhooks/invocation.ts';
import type { Webhook } from '../domain/webhooks/webhook.ts';
import { documentClient, isConditionFailure } from './dynamo.ts';
import { type Page, type PageRequest, queryPage } from './pagination.ts';
import { physicalTableName } from './tables.ts';
import { TransactionConflict, writeTransaction } from './transactions.ts';

const table = () => physicalTableName('config');
const WEBHOOKS_PARTITION = 'WEBHOOKS';
const webhookKey = (id: string) => ({ pk: WEBHOOKS_PARTITION, sk: `WEBHOOK#${id}` });
const historyPartition = (webhookId: string) => `WEBHOOK#${webhookId}`;
const invocationKey = (invocation: Pick<Invocation, 'webhook_id' | 'created_at' | 'id'>) => ({
  pk: historyPartition(invocation.webhook_id),
  sk: `INVOCATION#${invocation.created_at}#${invocation.id}`,
});
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

/** Newest first. */
export const listInvocations = (webhookId: string, page: PageRequest): Promise<Page<Invocation>> =>
  queryPage(
    {
      tableName: table(),
      partitionKeyName: 'pk',
      partitionKeyValue: historyPartition(webhookId),
      sortKeyName: 'sk',
      sortKeyPrefix: 'INVOCATION#',
    },
    { ...page, descending: !page.descending },
    ({ pk: _pk, sk: _sk, expires_at: _expires, invocation_id, ...invocation }) =>
      ({ id: invocation_id, ...invocation }) as Invocation,
  );

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
  invocation: Omit<Invocation, 'attempts' | 'updated_at'>;
  now: Date;
}

const recordAttemptUpdate = ({ invocation, now }: AttemptRecord) => {
  const { id, webhook_id, ticket_id, status, status_code, error, latency_ms, created_at } = invocation;
  return {
    TableName: table(),
    Key: invocationKey(invocation),
    UpdateExpression:
      'SET invocation_id = :id, webhook_id = :webhook, ticket_id = :ticket, #status = :status, status_code = :code, ' +
      'latency_ms = :latency, #error = :error, created_at = :created, updated_at = :updated, ' +
      'expires_at = :expires ADD attempts :one',
    ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
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
