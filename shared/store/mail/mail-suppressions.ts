/**
 * The suppression list: addresses that bounced permanently or complained. One item per address in the
 * directory table, so it covers addresses no user owns yet (a CC typed into a mail) and survives the
 * owning user changing their email. Every outbound send reads it.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '../batch-get.ts';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';

const table = () => physicalTableName('directory');
const suppressionKey = (address: string) => ({ pk: `MAIL_SUPPRESSION#${address}`, sk: 'SUPPRESSION' });

export interface MailSuppression {
  address: string;
  reason: string;
  suppressed_at: string;
}

/** Idempotent; a later bounce or complaint replaces the recorded reason with the newer one. */
export const suppressAddress = async (suppression: MailSuppression): Promise<void> => {
  await documentClient().send(
    new PutCommand({ TableName: table(), Item: { ...suppressionKey(suppression.address), ...suppression } }),
  );
};

/** Which of `addresses` (normalised) are suppressed. */
export const suppressedAmong = async (addresses: readonly string[]): Promise<Set<string>> => {
  if (addresses.length === 0) return new Set();
  const items = await batchGetItems(table(), [...new Set(addresses)].map(suppressionKey));
  return new Set(items.map((item) => String(item.address)));
};
