/**
 * Which breaches have been reported (audited, published, counted): one claim per metric instance in
 * the ticket's partition, committed with the breach audit, so a redelivered timer reports nothing
 * twice and the purge of the ticket removes the claims with it.
 */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { SlaMetric } from '../../domain/sla/sla-timers.ts';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import { ticketPartition } from '../tickets/tickets.ts';
import type { LabelledItem } from '../transactions.ts';

const table = () => physicalTableName('tickets');
const PREFIX = 'SLA_BREACH_REPORT#';

/** The label a cancelled transaction reports when one of its breaches was already reported. */
export const BREACH_REPORTED_LABEL = 'sla_breach_reported';

export interface BreachInstance {
  metric: SlaMetric;
  instance_id: number;
}

export const breachInstanceKey = ({ metric, instance_id }: BreachInstance): string =>
  `${metric}#${instance_id}`;

export const breachReportClaim = (
  ticketId: number,
  breach: BreachInstance,
  auditId: number,
  now: string,
): LabelledItem => ({
  label: BREACH_REPORTED_LABEL,
  item: {
    Put: {
      TableName: table(),
      Item: {
        pk: ticketPartition(ticketId),
        sk: `${PREFIX}${breachInstanceKey(breach)}`,
        audit_id: auditId,
        created_at: now,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
});

/** The ticket's reported breaches, as `breachInstanceKey`s (one bounded query of its partition). */
export const reportedBreaches = async (ticketId: number): Promise<Set<string>> => {
  const reported = new Set<string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const result: QueryCommandOutput = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': ticketPartition(ticketId), ':prefix': PREFIX },
        ProjectionExpression: 'sk',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of result.Items ?? []) reported.add(String(item.sk).slice(PREFIX.length));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return reported;
};
