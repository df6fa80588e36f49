/**
 * The trigger cycle's idempotency claim: one item per source audit, committed in the same transaction
 * as the rule audit, so a redelivered event can never apply the same cycle twice.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import type { LabelledItem } from '../transactions.ts';

const table = () => physicalTableName('tickets');
const claimKey = (sourceAuditId: number) => ({ pk: `RULES_APPLIED#${sourceAuditId}`, sk: 'CLAIM' });

/** The label a cancelled transaction reports when the cycle for this audit was already applied. */
export const RULES_APPLIED_LABEL = 'rules_applied';

export const rulesAppliedClaim = (sourceAuditId: number, ruleAuditId: number, now: string): LabelledItem => ({
  label: RULES_APPLIED_LABEL,
  item: {
    Put: {
      TableName: table(),
      Item: { ...claimKey(sourceAuditId), rule_audit_id: ruleAuditId, created_at: now },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
});

/** A cheap early exit for redeliveries; the transaction's condition is what guarantees it. */
export const rulesAlreadyApplied = async (sourceAuditId: number): Promise<boolean> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: claimKey(sourceAuditId) }),
  );
  return result.Item !== undefined;
};
