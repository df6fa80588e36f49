/**
 * Trigger and automation definitions in the config table, one item each under kind `trigger` or
 * `automation`. An account holds hundreds at most, so lists read the whole kind and order it in memory.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { UpdateConflictError } from '../domain/errors.ts';
import type { RuleKind } from '../domain/rules/condition-fields.ts';
import { byPosition, type RuleRecord } from '../domain/rules/rule-record.ts';
import { allocateId } from './counters.ts';
import { documentClient, isConditionFailure } from './dynamo.ts';
import { fromItem, type Item, toItem } from './items.ts';
import { queryAllOfKind } from './pagination.ts';
import { physicalTableName } from './tables.ts';

const table = () => physicalTableName('config');
const ruleKey = (kind: RuleKind, id: number) => ({ pk: `${kind.toUpperCase()}#${id}`, sk: 'RULE' });

/** `kind` is a key attribute, which `fromItem` strips: it comes back from the query that found the item. */
const ruleOf = (kind: RuleKind, item: Item): RuleRecord => ({
  ...fromItem<Omit<RuleRecord, 'kind'>>(item),
  kind,
});

export const allocateRuleId = (kind: RuleKind) => allocateId('config', kind);

export const getRule = async (kind: RuleKind, id: number): Promise<RuleRecord | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: ruleKey(kind, id) }));
  return result.Item ? ruleOf(kind, result.Item) : undefined;
};

/** Every rule of a kind, in execution order. */
export const listAllRules = async (kind: RuleKind): Promise<RuleRecord[]> =>
  (await queryAllOfKind(table(), kind)).map((item) => ruleOf(kind, item)).sort(byPosition);

/** Writes a new rule, or `next` over `previous` unless someone changed it meanwhile. */
export const putRule = async (next: RuleRecord, previous?: RuleRecord): Promise<RuleRecord> => {
  const stored = previous ? { ...next, version: previous.version + 1 } : next;
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: toItem(stored, { ...ruleKey(stored.kind, stored.id), kind: stored.kind }, { id: stored.id }),
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

export const deleteRule = async (kind: RuleKind, id: number): Promise<void> => {
  await documentClient().send(new DeleteCommand({ TableName: table(), Key: ruleKey(kind, id) }));
};
