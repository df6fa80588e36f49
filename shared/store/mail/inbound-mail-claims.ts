/**
 * Dedupe claims for inbound mail, written in the same transaction as whatever the mail produced (a
 * ticket write or a suspension): one per SES message (redelivery of the same S3 object) and one per
 * content fingerprint (Message-ID + sender + content hash: the same mail through two support
 * addresses). A Message-ID alone is never a claim, since the sender chooses it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import type { LabelledItem } from '../transactions.ts';

/** Transaction labels of the claims, to tell a duplicate from other conflicts. */
export const CLAIM_LABELS = ['inbound_mail_delivery', 'inbound_mail_content'] as const;

const table = () => physicalTableName('tickets');
const deliveryKey = (sesMessageId: string) => ({ pk: `INBOUND_MAIL#${sesMessageId}`, sk: 'DELIVERY' });
const contentKey = (fingerprint: string) => ({ pk: `INBOUND_MAIL#${fingerprint}`, sk: 'CONTENT' });

export interface InboundMailClaim {
  sesMessageId: string;
  /** Absent when the mail has no Message-ID: only the delivery is deduplicated then. */
  contentFingerprint: string | undefined;
  /** What the mail became, for operators reading the table. */
  outcome: string;
  now: string;
}

const claim = (
  label: string,
  key: Record<string, string>,
  record: Record<string, unknown>,
): LabelledItem => ({
  label,
  item: {
    Put: {
      TableName: table(),
      Item: { ...key, ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
});

export const inboundMailClaims = (input: InboundMailClaim): LabelledItem[] => {
  const record = { ses_message_id: input.sesMessageId, outcome: input.outcome, received_at: input.now };
  return [
    claim('inbound_mail_delivery', deliveryKey(input.sesMessageId), record),
    ...(input.contentFingerprint
      ? [claim('inbound_mail_content', contentKey(input.contentFingerprint), record)]
      : []),
  ];
};

/** A cheap early exit for redeliveries; the transaction's conditions are what guarantee it. */
export const isDeliverySeen = async (sesMessageId: string): Promise<boolean> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: deliveryKey(sesMessageId), ProjectionExpression: 'pk' }),
  );
  return result.Item !== undefined;
};
