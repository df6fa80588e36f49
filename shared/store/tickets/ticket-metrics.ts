/** Ticket metrics, kept beside their ticket in the tickets table (one item per ticket). */
import { GetCommand, PutCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Audit } from '../../domain/tickets/ticket.ts';
import type { TicketMetrics } from '../../domain/tickets/ticket-metrics.ts';
import { documentClient, isConditionFailure } from '../dynamo.ts';
import { fromItem, toItem } from '../items.ts';
import { type Page, type PageRequest, queryPage } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';
import { ticketPartition } from './tickets.ts';

const table = () => physicalTableName('tickets');
const metricsKey = (ticketId: number) => ({ pk: ticketPartition(ticketId), sk: 'METRICS' });

/** Every audit of a ticket, oldest first (a ticket's history is one partition: a bounded query). */
export const readAllAudits = async (ticketId: number): Promise<Audit[]> => {
  const audits: Audit[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result: QueryCommandOutput = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': ticketPartition(ticketId), ':audit': 'AUDIT#' },
        ExclusiveStartKey: startKey,
      }),
    );
    audits.push(...(result.Items ?? []).map((item) => fromItem<Audit>(item)));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return audits;
};

/**
 * Stores metrics unless a computation from a newer audit is already stored: two consumers racing on
 * the same ticket can finish in any order, and the newest history must win. Returns whether it wrote.
 */
export const saveTicketMetrics = async (metrics: TicketMetrics): Promise<boolean> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: toItem(
          metrics,
          { ...metricsKey(metrics.ticket_id), kind: 'ticket_metric' },
          { id: metrics.id },
        ),
        ConditionExpression: 'attribute_not_exists(pk) OR computed_from_audit_id <= :audit',
        ExpressionAttributeValues: { ':audit': metrics.computed_from_audit_id },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

export const getTicketMetrics = async (ticketId: number): Promise<TicketMetrics | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: metricsKey(ticketId) }),
  );
  return result.Item ? fromItem<TicketMetrics>(result.Item) : undefined;
};

export const listTicketMetrics = (page: PageRequest): Promise<Page<TicketMetrics>> =>
  queryPage(
    {
      tableName: table(),
      indexName: 'byKind',
      partitionKeyName: 'kind',
      partitionKeyValue: 'ticket_metric',
      sortKeyName: 'id',
    },
    page,
    (item) => fromItem<TicketMetrics>(item),
  );
