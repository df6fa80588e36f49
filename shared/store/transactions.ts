/**
 * Transactions whose items are labelled, so a cancelled transaction can say which condition failed
 * (the record's version, or which uniqueness claim) instead of a bare "conditional check failed".
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { cancellationReasons, documentClient } from './dynamo.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface LabelledItem {
  /** What a failed condition on this item means, e.g. `version` or `email`. */
  label: string;
  item: TransactItem;
}

export class TransactionConflict extends Error {
  constructor(readonly labels: string[]) {
    super(`Transaction cancelled by conditions on: ${labels.join(', ')}`);
  }
}

export const writeTransaction = async (items: readonly LabelledItem[]): Promise<void> => {
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: items.map(({ item }) => item) }));
  } catch (error) {
    const reasons = cancellationReasons(error);
    const failed = items
      .filter((_, index) => reasons[index] === 'ConditionalCheckFailed')
      .map(({ label }) => label);
    if (failed.length) throw new TransactionConflict(failed);
    throw error;
  }
};
