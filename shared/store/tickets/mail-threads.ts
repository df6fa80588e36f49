/**
 * The message-id index: every Message-ID that belongs to a ticket's mail conversation (ids we generated,
 * the ids SES gave the mail it sent, and ids of mail we received), so a reply naming any of them in
 * In-Reply-To or References threads onto that ticket. One item per id, keyed by the id.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '../batch-get.ts';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import type { LabelledItem } from '../transactions.ts';

const table = () => physicalTableName('tickets');
const messageIdKey = (messageId: string) => ({ pk: `MESSAGE_ID#${messageId.toLowerCase()}`, sk: 'THREAD' });

export interface ThreadedMessage {
  messageId: string;
  ticketId: number;
  /** For mail we sent: who it went to (normalised addresses); empty for mail we received. */
  recipients: string[];
  direction: 'outbound' | 'inbound';
}

// An id already bound to another ticket keeps its ticket: a forged Message-ID cannot move a thread.
const keepsItsTicket = (ticketId: number) => ({
  ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :ticket',
  ExpressionAttributeValues: { ':ticket': ticketId },
});

/** Idempotent: recording the same id for the same ticket again changes nothing. */
export const recordThreadedMessage = async (message: ThreadedMessage): Promise<void> => {
  await documentClient()
    .send(
      new PutCommand({
        TableName: table(),
        Item: { ...messageIdKey(message.messageId), ...message },
        ...keepsItsTicket(message.ticketId),
      }),
    )
    .catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
};

export const THREADED_MESSAGE_LABEL = 'threaded_message';

/**
 * The same record as an item of the ticket write it belongs to. Its condition failing cancels that
 * whole write, so callers include it only for an id they found unbound.
 */
export const threadedMessageItem = (message: ThreadedMessage): LabelledItem => ({
  label: THREADED_MESSAGE_LABEL,
  item: {
    Put: {
      TableName: table(),
      Item: { ...messageIdKey(message.messageId), ...message },
      ...keepsItsTicket(message.ticketId),
    },
  },
});

export const findThreadedMessages = async (messageIds: readonly string[]): Promise<ThreadedMessage[]> => {
  if (messageIds.length === 0) return [];
  const items = await batchGetItems(
    table(),
    [...new Set(messageIds.map((id) => id.toLowerCase()))].map(messageIdKey),
  );
  return items.map((item) => ({
    messageId: String(item.messageId),
    ticketId: Number(item.ticketId),
    recipients: (item.recipients as string[] | undefined) ?? [],
    direction: item.direction as ThreadedMessage['direction'],
  }));
};
