/**
 * Tickets, their comments and audits in the tickets table: one partition per ticket. Every change is a
 * single transaction of the ticket (conditional on its version), its audit and its comment, and the
 * table's stream turns the committed audit into events (the transactional outbox).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Audit, Comment, Ticket } from '../../domain/tickets/ticket.ts';
import { batchGetItems } from '../batch-get.ts';
import { allocateId, allocateIds } from '../counters.ts';
import { documentClient } from '../dynamo.ts';
import { fromItem, type Item, toItem } from '../items.ts';
import { type IndexQuery, type Page, type PageRequest, queryPage } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';
import { type LabelledItem, TransactionConflict, writeTransaction } from '../transactions.ts';

const table = () => physicalTableName('tickets');

const pad = (id: number) => String(id).padStart(15, '0');
export const ticketPartition = (id: number) => `TICKET#${id}`;
const ticketKey = (id: number) => ({ pk: ticketPartition(id), sk: 'TICKET' });

/** Index keys derived from the ticket; a deleted ticket keeps only `kind` and its update order. */
const ticketItem = (ticket: Ticket): Item => {
  const live = ticket.deleted_at === null;
  return toItem(
    ticket,
    { ...ticketKey(ticket.id), kind: live ? 'ticket' : 'deleted_ticket' },
    {
      gsi_updated: `${ticket.updated_at}#${pad(ticket.id)}`,
      gsi_requester_id: live ? ticket.requester_id : null,
      gsi_organization_id: live ? ticket.organization_id : null,
      gsi_assignee_id: live ? ticket.assignee_id : null,
      gsi_status: live ? ticket.status : null,
      gsi_group_status: live && ticket.group_id !== null ? `${ticket.group_id}#${ticket.status}` : null,
    },
  );
};

/** Raised when the ticket changed since it was read (optimistic locking). */
export class TicketVersionConflict extends Error {}

export const allocateTicketIds = () => allocateIds('tickets', { ticket: 1, audit: 1 });
export const allocateAuditId = () => allocateId('tickets', 'audit');

export interface TicketWrite {
  ticket: Ticket;
  audit: Audit;
  comment?: Comment | undefined;
  /** The version the ticket had when read; omitted when creating. */
  expectedVersion?: number;
  /** Items committed with the ticket or not at all (inbound mail's dedupe claims, attachment records). */
  alsoWrite?: readonly LabelledItem[] | undefined;
}

export const writeTicket = async ({
  ticket,
  audit,
  comment,
  expectedVersion,
  alsoWrite = [],
}: TicketWrite): Promise<void> => {
  const partition = ticketPartition(ticket.id);
  try {
    await writeTransaction([
      {
        label: 'version',
        item: {
          Put: {
            TableName: table(),
            Item: ticketItem(ticket),
            ...(expectedVersion === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'version = :version',
                  ExpressionAttributeValues: { ':version': expectedVersion },
                }),
          },
        },
      },
      {
        label: 'audit',
        item: {
          Put: {
            TableName: table(),
            Item: { ...audit, pk: partition, sk: `AUDIT#${pad(audit.id)}` },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      // A new ticket's reply token is claimed with it, so the reply address finds the ticket with one read.
      ...(expectedVersion === undefined && ticket.reply_token
        ? [
            {
              label: 'reply_token',
              item: {
                Put: {
                  TableName: table(),
                  Item: { ...replyTokenKey(ticket.reply_token), ticket_id: ticket.id },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            },
          ]
        : []),
      ...(comment
        ? [
            {
              label: 'comment',
              item: {
                Put: {
                  TableName: table(),
                  Item: { ...comment, pk: partition, sk: `COMMENT#${pad(comment.id)}` },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            },
          ]
        : []),
      ...alsoWrite,
    ]);
  } catch (error) {
    if (error instanceof TransactionConflict && error.labels.includes('version'))
      throw new TicketVersionConflict();
    throw error;
  }
};

const replyTokenKey = (token: string) => ({ pk: `REPLY_TOKEN#${token}`, sk: 'CLAIM' });

/** The ticket whose reply address carries `token`. */
export const findTicketIdByReplyToken = async (token: string): Promise<number | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: replyTokenKey(token) }),
  );
  return typeof result.Item?.ticket_id === 'number' ? result.Item.ticket_id : undefined;
};

/** The stored ticket, deleted or not; callers decide whether a deleted ticket counts as found. */
export const getTicket = async (id: number): Promise<Ticket | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: ticketKey(id) }));
  return result.Item ? fromItem<Ticket>(result.Item) : undefined;
};

export const getTickets = async (ids: readonly number[]): Promise<Ticket[]> =>
  (await batchGetItems(table(), [...new Set(ids)].map(ticketKey)))
    .map((item) => fromItem<Ticket>(item))
    .sort((a, b) => a.id - b.id);

const asTicket = (item: Item) => fromItem<Ticket>(item);

const byIndex = (indexName: string, partitionKeyName: string, value: string | number): IndexQuery => ({
  tableName: table(),
  indexName,
  partitionKeyName,
  partitionKeyValue: value,
  sortKeyName: 'id',
});

export const listTickets = (page: PageRequest): Promise<Page<Ticket>> =>
  queryPage(byIndex('byKind', 'kind', 'ticket'), page, asTicket);
export const listDeletedTickets = (page: PageRequest): Promise<Page<Ticket>> =>
  queryPage(byIndex('byKind', 'kind', 'deleted_ticket'), page, asTicket);
export const listTicketsByRequester = (requesterId: number, page: PageRequest): Promise<Page<Ticket>> =>
  queryPage(byIndex('byRequester', 'gsi_requester_id', requesterId), page, asTicket);
export const listTicketsByOrganization = (organizationId: number, page: PageRequest): Promise<Page<Ticket>> =>
  queryPage(byIndex('byOrganization', 'gsi_organization_id', organizationId), page, asTicket);
export const listTicketsByAssignee = (assigneeId: number, page: PageRequest): Promise<Page<Ticket>> =>
  queryPage(byIndex('byAssignee', 'gsi_assignee_id', assigneeId), page, asTicket);

const withinTicket = (ticketId: number, prefix: string): IndexQuery => ({
  tableName: table(),
  partitionKeyName: 'pk',
  partitionKeyValue: ticketPartition(ticketId),
  sortKeyName: 'sk',
  sortKeyPrefix: prefix,
});

export const listComments = (ticketId: number, page: PageRequest, options: { publicOnly?: boolean } = {}) =>
  queryPage(
    {
      ...withinTicket(ticketId, 'COMMENT#'),
      ...(options.publicOnly
        ? {
            filter: {
              FilterExpression: '#public = :true',
              ExpressionAttributeNames: { '#public': 'public' },
              ExpressionAttributeValues: { ':true': true },
            },
          }
        : {}),
    },
    page,
    (item) => fromItem<Comment>(item),
  );

/** One audit by its id, as the stream recorded it in an event. */
export const getAudit = async (ticketId: number, auditId: number): Promise<Audit | undefined> => {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: ticketPartition(ticketId), sk: `AUDIT#${pad(auditId)}` },
    }),
  );
  return result.Item ? fromItem<Audit>(result.Item) : undefined;
};

export const listAudits = (ticketId: number, page: PageRequest): Promise<Page<Audit>> =>
  queryPage(withinTicket(ticketId, 'AUDIT#'), page, (item) => fromItem<Audit>(item));
