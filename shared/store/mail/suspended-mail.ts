/**
 * Suspended mail (Zendesk's suspended tickets): mail kept for an agent to recover or delete instead of
 * becoming a ticket. The record holds what the list shows plus what recovery needs to act on the mail
 * (its parsed form, the raw mail's key and the receipt's recipients).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Attachment } from '../../domain/tickets/ticket.ts';
import { allocateId } from '../counters.ts';
import { documentClient } from '../dynamo.ts';
import { fromItem, toItem } from '../items.ts';
import { type Page, type PageRequest, queryPage } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';
import { type LabelledItem, TransactionConflict, writeTransaction } from '../transactions.ts';

export interface SuspendedMail {
  id: number;
  subject: string;
  author: { name: string; email: string | null };
  /** The mail's text, truncated. */
  content: string;
  cause: string;
  cause_id: number;
  message_id: string | null;
  /** The ticket the mail would have been added to, if it threaded onto one. */
  ticket_id: number | null;
  recipient: string | null;
  raw_mail_key: string;
  /**
   * The mail as parsed (shared/mail/inbound/inbound-mail.ts) as JSON, kept here when small, else in
   * the blob store under `parsed_mail_key`. Both are absent when the mail could not be parsed at all.
   */
  parsed_mail_json?: string;
  parsed_mail_key?: string;
  ses_message_id: string;
  receipt_recipients: string[];
  attachments: Attachment[];
  created_at: string;
  updated_at: string;
}

const table = () => physicalTableName('tickets');
const suspendedKey = (id: number) => ({ pk: `SUSPENDED_TICKET#${id}`, sk: 'SUSPENDED_TICKET' });

export const allocateSuspendedMailId = () => allocateId('tickets', 'suspended_ticket');

export const suspendedMailItem = (mail: SuspendedMail): LabelledItem => ({
  label: 'suspended_ticket',
  item: {
    Put: {
      TableName: table(),
      Item: toItem(mail, { ...suspendedKey(mail.id), kind: 'suspended_ticket' }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
});

/** Removes the record as part of its recovery, so two agents recovering at once recover it once. */
export const suspendedMailRemoval = (id: number): LabelledItem => ({
  label: 'suspended_ticket_gone',
  item: {
    Delete: { TableName: table(), Key: suspendedKey(id), ConditionExpression: 'attribute_exists(pk)' },
  },
});

export const getSuspendedMail = async (id: number): Promise<SuspendedMail | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: suspendedKey(id) }));
  return result.Item ? fromItem<SuspendedMail>(result.Item) : undefined;
};

export const listSuspendedMail = (page: PageRequest): Promise<Page<SuspendedMail>> =>
  queryPage(
    {
      tableName: table(),
      indexName: 'byKind',
      partitionKeyName: 'kind',
      partitionKeyValue: 'suspended_ticket',
      sortKeyName: 'id',
    },
    page,
    (item) => fromItem<SuspendedMail>(item),
  );

/** False when there was no such record. */
export const deleteSuspendedMail = async (id: number): Promise<boolean> => {
  try {
    await writeTransaction([suspendedMailRemoval(id)]);
    return true;
  } catch (error) {
    if (error instanceof TransactionConflict) return false;
    throw error;
  }
};
