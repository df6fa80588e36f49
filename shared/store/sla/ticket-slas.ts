/**
 * A ticket's SLA state and its metric events, kept in the ticket's partition of the tickets table
 * (so the purge of a deleted ticket removes them with it). Metric events also carry kind
 * `ticket_metric_event` and `gsi_updated` = `time#id`, which puts them on the byUpdated index in
 * time order: the incremental export reads them there.
 */
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { toTimestamp } from '../../domain/clock.ts';
import type { TicketSlaState } from '../../domain/sla/sla-clocks.ts';
import type { TicketMetricEvent } from '../../domain/sla/sla-metric-events.ts';
import { batchGetItems } from '../batch-get.ts';
import { documentClient, isConditionFailure } from '../dynamo.ts';
import { fromItem, type Item, toItem } from '../items.ts';
import { physicalTableName } from '../tables.ts';
import { ticketPartition } from '../tickets/tickets.ts';

const table = () => physicalTableName('tickets');
const METRIC_EVENT_KIND = 'ticket_metric_event';
const MAX_WRITES_PER_BATCH = 25;
const slaKey = (ticketId: number) => ({ pk: ticketPartition(ticketId), sk: 'SLA' });
/** Zero-padded so a ticket's events sort by id, and export ties at one instant too. */
const paddedId = (id: number) => String(id).padStart(16, '0');
const metricEventKey = (event: Pick<TicketMetricEvent, 'ticket_id' | 'id'>) => ({
  pk: ticketPartition(event.ticket_id),
  sk: `METRIC_EVENT#${paddedId(event.id)}`,
});

/**
 * Stores the state unless a newer computation is stored: one from a later audit, or from the same
 * audit at a later instant (which may have found a breach). Returns whether it wrote.
 */
export const saveTicketSlaState = async (state: TicketSlaState): Promise<boolean> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: toItem(state, slaKey(state.ticket_id)),
        ConditionExpression:
          'attribute_not_exists(pk) OR computed_from_audit_id < :audit OR (computed_from_audit_id = :audit AND computed_at <= :at)',
        ExpressionAttributeValues: { ':audit': state.computed_from_audit_id, ':at': state.computed_at },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

export const getTicketSlaStates = async (
  ticketIds: readonly number[],
): Promise<Map<number, TicketSlaState>> => {
  const items = await batchGetItems(table(), ticketIds.map(slaKey));
  const states = items.map((item) => fromItem<TicketSlaState>(item));
  return new Map(states.map((state) => [state.ticket_id, state]));
};

export interface StoredMetricEvent {
  id: number;
  type: TicketMetricEvent['type'];
  deleted: boolean;
}

/** The metric events already stored for a ticket (one bounded query of its partition). */
export const storedMetricEvents = async (ticketId: number): Promise<StoredMetricEvent[]> => {
  const stored: StoredMetricEvent[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result: QueryCommandOutput = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': ticketPartition(ticketId), ':prefix': 'METRIC_EVENT#' },
        ProjectionExpression: 'id, #type, deleted',
        ExpressionAttributeNames: { '#type': 'type' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of result.Items ?? []) {
      stored.push({ id: Number(item.id), type: item.type, deleted: item.deleted === true });
    }
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return stored;
};

const metricEventItem = (event: TicketMetricEvent): Item =>
  toItem(
    event,
    { ...metricEventKey(event), kind: METRIC_EVENT_KIND },
    {
      id: event.id,
      // Normalised to whole seconds, as export bounds are.
      gsi_updated: `${toTimestamp(new Date(event.time))}#${paddedId(event.id)}`,
    },
  );

/** Writes events not stored yet (the caller leaves out those it found stored). */
export const putMetricEvents = async (events: readonly TicketMetricEvent[]): Promise<void> => {
  for (let start = 0; start < events.length; start += MAX_WRITES_PER_BATCH) {
    let pending = events
      .slice(start, start + MAX_WRITES_PER_BATCH)
      .map((event) => ({ PutRequest: { Item: metricEventItem(event) } }));
    while (pending.length) {
      const result = await documentClient().send(
        new BatchWriteCommand({ RequestItems: { [table()]: pending } }),
      );
      pending = (result.UnprocessedItems?.[table()] ?? []) as typeof pending;
    }
  }
};

/** Zendesk's answer to a breach that turned out not to be one: it stays, marked deleted. */
export const markBreachDeleted = async (ticketId: number, id: number): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: metricEventKey({ ticket_id: ticketId, id }),
      UpdateExpression: 'SET deleted = :deleted',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':deleted': true },
    }),
  );
};

export interface MetricEventPage {
  events: TicketMetricEvent[];
  /** The sort key after which the next page starts; undefined on the last page. */
  nextAfter: string | undefined;
}

/** Metric events from `startIso` on (or after the `after` sort key), oldest first, across all tickets. */
export const listMetricEventsSince = async (
  from: { startIso: string } | { after: string },
  limit: number,
): Promise<MetricEventPage> => {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  const [condition, bound] =
    'after' in from ? ['gsi_updated > :bound', from.after] : ['gsi_updated >= :bound', from.startIso];
  do {
    const result: QueryCommandOutput = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'byUpdated',
        KeyConditionExpression: `kind = :kind AND ${condition}`,
        ExpressionAttributeValues: { ':kind': METRIC_EVENT_KIND, ':bound': bound },
        Limit: limit + 1 - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
  } while (startKey && items.length <= limit);
  const page = items.slice(0, limit);
  return {
    events: page.map((item) => fromItem<TicketMetricEvent>(item)),
    nextAfter: items.length > limit ? (page.at(-1)?.gsi_updated as string) : undefined,
  };
};

export const getTicketSlaState = async (ticketId: number): Promise<TicketSlaState | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: slaKey(ticketId) }));
  return result.Item ? fromItem<TicketSlaState>(result.Item) : undefined;
};
