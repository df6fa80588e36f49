/**
 * One item per mailed comment, in its ticket's partition: the claim that makes sending idempotent
 * (see mail-claims.ts), then the record of what went out (our Message-ID and the SES one), which later
 * mail of the ticket reads to thread.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import { ticketPartition } from '../tickets/tickets.ts';
import { claimMail, markMailSent, type SentMailRecord, sentMailRecord } from './mail-claims.ts';

const SENT_PREFIX = 'MAIL_SENT#';
const sentKey = (ticketId: number, commentId: number) => ({
  pk: ticketPartition(ticketId),
  sk: `${SENT_PREFIX}${String(commentId).padStart(18, '0')}`,
});

export interface SentCommentMail extends SentMailRecord {
  commentId: number;
}

export type CommentMailClaim =
  | { status: 'claimed'; messageId: string }
  | { status: 'done'; sent: SentCommentMail }
  | { status: 'in_progress' };

const asSent = (item: Record<string, unknown>): SentCommentMail => ({
  commentId: Number(item.comment_id),
  ...sentMailRecord(item),
});

/** Claims the comment for sending until `leaseUntilMs` (mail-claims.ts `claimMail`). */
export const claimCommentMail = async (input: {
  ticketId: number;
  commentId: number;
  messageId: string;
  nowMs: number;
  leaseUntilMs: number;
}): Promise<CommentMailClaim> => {
  const claim = await claimMail(sentKey(input.ticketId, input.commentId), {
    messageId: input.messageId,
    nowMs: input.nowMs,
    leaseUntilMs: input.leaseUntilMs,
    attributes: { comment_id: input.commentId },
  });
  return claim.status === 'done' ? { status: 'done', sent: asSent(claim.item) } : claim;
};

export const markCommentMailSent = (ticketId: number, sent: SentCommentMail, at: string): Promise<void> =>
  markMailSent(sentKey(ticketId, sent.commentId), sent, at);

/** Every comment of the ticket that went out as mail, in comment order. */
export const listSentCommentMail = async (ticketId: number): Promise<SentCommentMail[]> => {
  const sent: SentCommentMail[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: physicalTableName('tickets'),
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
