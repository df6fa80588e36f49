/**
 * The lease that makes one outbound mail idempotent, in its ticket's partition (purging the ticket
 * purges it). Comment mail and rule notifications each keep one item per mail they send.
 *
 * Why a lease and not a plain "sent" flag: EventBridge and SQS both deliver at least once, and two
 * copies of one event can run at the same time. Exactly one run claims the mail (a conditional write);
 * a copy that finds a live claim fails and retries later, when it finds the mail sent. The claim is
 * written before sending and marked sent right after, so the only double send left is a crash between
 * SES accepting the mail and that mark (the lease then expires and a retry sends again, with the same
 * Message-ID). Marking sent before sending would instead lose the mail on such a crash; a duplicate is
 * the lesser harm.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';

const table = () => physicalTableName('tickets');

export interface MailClaimKey {
  pk: string;
  sk: string;
}

export interface SentMailRecord {
  /** Our Message-ID, then the one SES gave the mail; empty when the mail went to nobody. */
  messageIds: string[];
  recipients: string[];
}

export type MailClaim =
  | { status: 'claimed'; messageId: string }
  | { status: 'done'; item: Record<string, unknown> }
  | { status: 'in_progress' };

export const sentMailRecord = (item: Record<string, unknown>): SentMailRecord => ({
  messageIds: (item.message_ids as string[] | undefined) ?? [],
  recipients: (item.recipients as string[] | undefined) ?? [],
});

/**
 * Claims the mail for sending until `leaseUntilMs`. A claim left by a run that crashed is taken over
 * once its lease has passed, keeping its Message-ID (a resent mail is then the same message).
 * `attributes` are stored with the claim (what the mail is for).
 */
export const claimMail = async (
  key: MailClaimKey,
  input: { messageId: string; nowMs: number; leaseUntilMs: number; attributes: Record<string, unknown> },
): Promise<MailClaim> => {
  const names = Object.keys(input.attributes);
  try {
    const result = await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: key,
        UpdateExpression: [
          'SET #state = :sending, lease_until = :lease, message_id = if_not_exists(message_id, :id)',
          ...names.map((_, index) => `#a${index} = :a${index}`),
        ].join(', '),
        ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND lease_until < :now)',
        ExpressionAttributeNames: {
          '#state': 'state',
          ...Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
        },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':lease': input.leaseUntilMs,
          ':now': input.nowMs,
          ':id': input.messageId,
          ...Object.fromEntries(names.map((name, index) => [`:a${index}`, input.attributes[name]])),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { status: 'claimed', messageId: String(result.Attributes?.message_id ?? input.messageId) };
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  const current = await documentClient().send(
    new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }),
  );
  return current.Item?.state === 'sent' ? { status: 'done', item: current.Item } : { status: 'in_progress' };
};

export const markMailSent = async (key: MailClaimKey, sent: SentMailRecord, at: string): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: key,
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
