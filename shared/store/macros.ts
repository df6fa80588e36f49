/**
 * Macros in the config table: one item per macro (kind `macro`, so byKind lists them), and beside it,
 * in the same partition, one usage item per day it was applied (`USAGE#2026-01-05`, hourly counts; see
 * shared/domain/macros/macro-usage.ts). Usage items carry no `kind`, so they stay out of the index.
 */
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { UpdateConflictError } from '../domain/errors.ts';
import type { MacroRecord } from '../domain/macros/macro.ts';
import { oldestUsageDay, type UsageDay, usageBucketOf } from '../domain/macros/macro-usage.ts';
import { configRecords } from './config-records.ts';
import { documentClient } from './dynamo.ts';
import { type LabelledItem, TransactionConflict, writeTransaction } from './transactions.ts';

const USAGE_PREFIX = 'USAGE#';
const macros = configRecords<MacroRecord>('macro');
const table = macros.table;
const partition = macros.partition;

export const allocateMacroId = macros.allocateId;
export const getMacro = macros.get;
/** Every macro, in id order; an account holds hundreds at most, so callers filter and sort in memory. */
export const listAllMacros = macros.listAll;
/** Writes a new macro, or `next` over `previous` unless someone changed it meanwhile. */
export const putMacro = macros.put;

/** Several macro changes (update_many) all together or not at all; at most 100 per call. */
export const putMacros = async (
  changes: readonly { next: MacroRecord; previous: MacroRecord }[],
): Promise<MacroRecord[]> => {
  const stored = changes.map(({ next, previous }) => ({ ...next, version: previous.version + 1 }));
  const items: LabelledItem[] = stored.map((next, index) => ({
    label: `macro ${next.id}`,
    item: { Put: macros.putRequest(next, changes[index]?.previous) },
  }));
  try {
    await writeTransaction(items);
  } catch (error) {
    if (error instanceof TransactionConflict) throw new UpdateConflictError();
    throw error;
  }
  return stored;
};

type UsageItem = { pk: string; sk: string } & Record<string, number>;

/** The usage items of a macro from day `from` (inclusive) to day `before` (exclusive), oldest first. */
const usageItems = async (id: number, range: { from?: string; before?: string } = {}) => {
  const items: UsageItem[] = [];
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const result = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': partition(id),
          ':from': `${USAGE_PREFIX}${range.from ?? ''}`,
          // `~` sorts after every date and ` ` before every digit, which makes `before` exclusive.
          ':to': range.before ? `${USAGE_PREFIX}${range.before} ` : `${USAGE_PREFIX}~`,
        },
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    items.push(...((result.Items ?? []) as UsageItem[]));
    exclusiveStartKey = result.LastEvaluatedKey;
  } while (exclusiveStartKey);
  return items;
};

const keyOf = ({ pk, sk }: UsageItem) => ({ pk, sk });

/** Deletes a macro and its usage counts in one transaction (at most 31 usage days exist, see below). */
export const deleteMacro = async (id: number): Promise<void> => {
  const usage = await usageItems(id);
  await writeTransaction([
    { label: 'macro', item: { Delete: { TableName: table(), Key: macros.key(id) } } },
    ...usage.map((item) => ({ label: item.sk, item: { Delete: { TableName: table(), Key: keyOf(item) } } })),
  ]);
};

/**
 * Counts one use at `at`. The first use of a day also drops the days no window reaches any more, so
 * a macro keeps at most 31 usage items. A use racing the macro's deletion may leave one day's item
 * behind; macro ids are never reused, so nothing ever reads it.
 */
export const recordMacroUse = async (id: number, at: string): Promise<void> => {
  const { day, hour } = usageBucketOf(at);
  const result = await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: partition(id), sk: `${USAGE_PREFIX}${day}` },
      UpdateExpression: 'ADD #hour :one',
      ExpressionAttributeNames: { '#hour': hour },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'ALL_OLD',
    }),
  );
  if (result.Attributes) return;
  // Usually the one day that just left the 30-day window; a day missed here goes on a later first use.
  const stale = await usageItems(id, { before: oldestUsageDay(at) });
  await Promise.all(
    stale.map((item) => documentClient().send(new DeleteCommand({ TableName: table(), Key: keyOf(item) }))),
  );
};

/** The usage days a window ending `now` can reach. */
export const getMacroUsageDays = async (id: number, now: string): Promise<UsageDay[]> =>
  (await usageItems(id, { from: oldestUsageDay(now) })).map(({ pk: _pk, sk, ...hours }) => ({
    day: sk.slice(USAGE_PREFIX.length),
    hours,
  }));
