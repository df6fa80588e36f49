/**
 * SLA policies in the config table, one item each under kind `sla_policy`. An account holds a
 * handful, so lists read the whole kind and order it by position in memory.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { UpdateConflictError } from '../../domain/errors.ts';
import { byPosition, type SlaPolicy } from '../../domain/sla/sla-policy.ts';
import { allocateId } from '../counters.ts';
import { documentClient, isConditionFailure } from '../dynamo.ts';
import { fromItem, toItem } from '../items.ts';
import { queryAllOfKind } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';

const KIND = 'sla_policy';
const table = () => physicalTableName('config');
const policyKey = (id: number) => ({ pk: `SLA_POLICY#${id}`, sk: 'SLA_POLICY' });

export const allocateSlaPolicyId = () => allocateId('config', KIND);

export const getSlaPolicy = async (id: number): Promise<SlaPolicy | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: policyKey(id) }));
  return result.Item ? fromItem<SlaPolicy>(result.Item) : undefined;
};

/** Every policy, in matching order. */
export const listAllSlaPolicies = async (): Promise<SlaPolicy[]> =>
  (await queryAllOfKind(table(), KIND)).map((item) => fromItem<SlaPolicy>(item)).sort(byPosition);

/** Writes a new policy, or `next` over `previous` unless someone changed it meanwhile. */
export const putSlaPolicy = async (next: SlaPolicy, previous?: SlaPolicy): Promise<SlaPolicy> => {
  const stored = previous ? { ...next, version: previous.version + 1 } : next;
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: toItem(stored, { ...policyKey(stored.id), kind: KIND }, { id: stored.id }),
        ...(previous
          ? {
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': previous.version },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new UpdateConflictError();
    throw error;
  }
  return stored;
};

export const deleteSlaPolicy = async (id: number): Promise<void> => {
  await documentClient().send(new DeleteCommand({ TableName: table(), Key: policyKey(id) }));
};
