/** Permanently removes soft-deleted tickets (every item of their partition) once they are old enough. */
import { BatchWriteCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import { ticketPartition } from './tickets.ts';

const table = () => physicalTableName('tickets');
const MAX_WRITES_PER_BATCH = 25;

/** Ids of tickets deleted before `cutoff` (the byUpdated index orders deleted tickets by deletion time). */
export const deletedTicketsBefore = async (cutoff: string, limit: number): Promise<number[]> => {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byUpdated',
      KeyConditionExpression: 'kind = :kind AND gsi_updated < :cutoff',
      ExpressionAttributeValues: { ':kind': 'deleted_ticket', ':cutoff': cutoff },
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => Number(item.id));
};

/**
 * Items come back in sort-key order (AUDIT#, COMMENT#, METRICS, TICKET), so the ticket item, which is
 * what finds the ticket again on the next run, goes last: an interrupted purge is resumed, not orphaned.
 */
export const purgeTicketPartition = async (ticketId: number): Promise<void> => {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ticketPartition(ticketId) },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: startKey,
      }),
    );
    const keys = page.Items ?? [];
    for (let start = 0; start < keys.length; start += MAX_WRITES_PER_BATCH) {
      let pending = keys
        .slice(start, start + MAX_WRITES_PER_BATCH)
        .map((key) => ({ DeleteRequest: { Key: key } }));
      while (pending.length) {
        const result = await documentClient().send(
          new BatchWriteCommand({ RequestItems: { [table()]: pending } }),
        );
        pending = (result.UnprocessedItems?.[table()] ?? []) as typeof pending;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
};
