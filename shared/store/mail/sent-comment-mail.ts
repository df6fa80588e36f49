/**
 * One item per mailed comment, in its ticket's partition (so purging the ticket purges it): the claim
 * that makes sending idempotent, then the record of what went out (our Message-ID and the SES one).
 *
 * Why a lease and not a plain "sent" flag: EventBridge and SQS both deliver at least once, and two
 * copies of one event can run at the same time. Exactly one run claims the comment (a conditional
 * write); a copy that finds a live claim fails and retries later, when it finds the comment sent. The
 * claim is written before sending and marked sent right after, so the only double send left is a crash
 * between SES accepting the mail and that mark (the lease then expires and a retry sends again, with the
 * same Message-ID). Marking sent before sending would instead lose the mail on such a crash; a
 * duplicate is the lesser harm.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import { ticketPartition } from '../tickets/tickets.ts';

const table = () => physicalTableName('tickets');
const SENT_PREFIX = 'MAIL_SENT#';
const sentKey = (ticketId: number, commentId: number) => ({
  pk: ticketPartition(ticketId),
  sk: `${SENT_PREFIX}${String(commentId).padStart(18, '0')}`,
});

export interface SentCommentMail {
  commentId: number;
  /** Our Message-ID, then the one SES gave the mail; empty when the comment went to nobody. */
  messageIds: string[];
  recipients: string[];
}

export type CommentMailClaim =
  | { status: 'claimed'; messageId: string }
  | { status: 'done'; sent: SentCommentMail }
  | { status: 'in_progress' };

const asSent = (item: Record<string, unknown>): SentCommentMail => ({
  commentId: Number(item.comment_id),
  messageIds: (item.message_ids as string[] | undefined) ?? [],
  recipients: (item.recipients as string[] | undefined) ?? [],
});

/**
 * Claims the comment for sending until `leaseUntilMs`. A claim left by a run that crashed is taken over
 * once its lease has passed, keeping its Message-ID (a resent mail is then the same message).
 */
export const claimCommentMail = async (input: {
  ticketId: number;
  commentId: number;
  messageId: string;
  nowMs: number;
  leaseUntilMs: number;
}): Promise<CommentMailClaim> => {
  try {
    const result = await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: sentKey(input.ticketId, input.commentId),
        UpdateExpression:
          'SET #state = :sending, lease_until = :lease, comment_id = :comment, message_id = if_not_exists(message_id, :id)',
        ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND lease_until < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':lease': input.leaseUntilMs,
          ':now': input.nowMs,
          ':comment': input.commentId,
          ':id': input.messageId,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { status: 'claimed', messageId: String(result.Attributes?.message_id ?? input.messageId) };
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  const current = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: sentKey(input.ticketId, input.commentId),
      ConsistentRead: true,
    }),
  );
  return current.Item?.state === 'sent'
    ? { status: 'done', sent: asSent(current.Item) }
    : { status: 'in_progress' };
};

export const markCommentMailSent = async (
  ticketId: number,
  sent: SentCommentMail,
  at: string,
): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: sentKey(ticketId, sent.commentId),
      UpdateExpression:
        'SET #state = :sent, message_ids = :ids, recipients = :recipients, sent_at = :at REMOVE lease_until',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':sent': 'sent',
        ':ids': sent.messageIds,
        ':recipients': sent.recipients,
        ':at': at,
      },
    }),
  );
};

/** Every comment of the ticket that went out as mail, in comment order. */
export const listSentCommentMail = async (ticketId: number): Promise<SentCommentMail[]> => {
  const sent: SentCommentMail[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': ticketPartition(ticketId), ':prefix': SENT_PREFIX },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) if (item.state === 'sent') sent.push(asSent(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return sent;
};
