/**
 * Who may see an attachment: one record per attachment (ticket, comment, whether the comment is
 * public, where the bytes are), committed with the comment that lists it, so the attachments route
 * authorizes with one read. The original mail of a comment is found through the comment itself.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Attachment, Comment, CommentMailOrigin } from '../../domain/tickets/ticket.ts';
import { allocateIds } from '../counters.ts';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import type { LabelledItem } from '../transactions.ts';

const table = () => physicalTableName('tickets');
const pad = (id: number) => String(id).padStart(15, '0');
const attachmentKey = (id: number) => ({ pk: `ATTACHMENT#${id}`, sk: 'ATTACHMENT' });

export interface AttachmentRecord {
  attachment: Attachment;
  blob_key: string;
  ticket_id: number;
  comment_id: number;
  comment_public: boolean;
}

/** First of `count` consecutive attachment ids. */
export const allocateAttachmentIds = async (count: number): Promise<number> =>
  (await allocateIds('tickets', { attachment: count })).attachment;

export const attachmentRecordItem = (record: AttachmentRecord): LabelledItem => ({
  label: 'attachment',
  item: { Put: { TableName: table(), Item: { ...attachmentKey(record.attachment.id), ...record } } },
});

export const getAttachmentRecord = async (id: number): Promise<AttachmentRecord | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: attachmentKey(id) }));
  if (!result.Item) return undefined;
  const { pk: _pk, sk: _sk, ...record } = result.Item;
  return record as AttachmentRecord;
};

/** Where a comment made from mail came from (its raw mail key), for the staff-only original email route. */
export const getCommentMailOrigin = async (
  ticketId: number,
  commentId: number,
): Promise<CommentMailOrigin | undefined> => {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: `TICKET#${ticketId}`, sk: `COMMENT#${pad(commentId)}` },
      ProjectionExpression: 'mail',
    }),
  );
  return (result.Item as Pick<Comment, 'mail'> | undefined)?.mail;
};
