/**
 * Reads a ticket's audits for what CSAT needs to know about its solves: which audit solved it last,
 * and what its status did after a given solve. Both read only the ticket's own partition (audit ids
 * grow, so "after" is a key range), projecting each audit's events.
 */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Audit } from '../../domain/tickets/ticket.ts';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import { ticketPartition } from '../tickets/tickets.ts';

const pad = (id: number) => String(id).padStart(15, '0');

const statusValue = (audit: Pick<Audit, 'events'>): unknown => {
  for (const event of audit.events) {
    if ((event.type === 'Change' || event.type === 'Create') && event.field_name === 'status')
      return event.value;
  }
  return undefined;
};

async function* audits(ticketId: number, options: { afterAuditId?: number; newestFirst: boolean }) {
  let startKey: Record<string, unknown> | undefined;
  do {
    const after = options.afterAuditId;
    const result: QueryCommandOutput = await documentClient().send(
      new QueryCommand({
        TableName: physicalTableName('tickets'),
        KeyConditionExpression:
          after === undefined
            ? 'pk = :pk AND begins_with(sk, :from)'
            : 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': ticketPartition(ticketId),
          ...(after === undefined
            ? { ':from': 'AUDIT#' }
            : { ':from': `AUDIT#${pad(after + 1)}`, ':to': 'AUDIT#~' }),
        },
        ProjectionExpression: 'id, events',
        ScanIndexForward: !options.newestFirst,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of result.Items ?? []) yield item as Pick<Audit, 'id' | 'events'>;
    startKey = result.LastEvaluatedKey;
  } while (startKey);
}

/** The audit that last set the ticket to solved, if it was ever solved. */
export const latestSolveAuditId = async (ticketId: number): Promise<number | undefined> => {
  for await (const audit of audits(ticketId, { newestFirst: true })) {
    if (statusValue(audit) === 'solved') return audit.id;
  }
  return undefined;
};

/** The statuses the ticket took in audits after this one, oldest first. */
export const statusesAfter = async (ticketId: number, auditId: number): Promise<unknown[]> => {
  const statuses: unknown[] = [];
  for await (const audit of audits(ticketId, { afterAuditId: auditId, newestFirst: false })) {
    const status = statusValue(audit);
    if (status !== undefined) statuses.push(status);
  }
  return statuses;
};
