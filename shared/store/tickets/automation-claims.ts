/**
 * An automation fires on a ticket at most once an hour, as Zendesk's hourly runs do: one item per
 * (ticket, automation) holds when it last fired and is written in the same transaction as the
 * automation's audit, on condition that the previous firing is an hour old. So a redelivered or
 * overlapping run cannot fire it twice, even for an "hours since … is N" condition, which stays true
 * for a whole hour. The item lives in the ticket's partition and is purged with it.
 */
import { toTimestamp } from '../../domain/clock.ts';
import { physicalTableName } from '../tables.ts';
import type { LabelledItem } from '../transactions.ts';
import { ticketPartition } from './tickets.ts';

/** The label a cancelled transaction reports when the automation fired on the ticket this hour. */
export const AUTOMATION_FIRED_LABEL = 'automation_fired';

const HOUR_MS = 3_600_000;

export const automationFiredClaim = (
  ticketId: number,
  automationId: number,
  auditId: number,
  now: string,
): LabelledItem => ({
  label: AUTOMATION_FIRED_LABEL,
  item: {
    Put: {
      TableName: physicalTableName('tickets'),
      Item: {
        pk: ticketPartition(ticketId),
        sk: `AUTOMATION#${automationId}`,
        fired_at: now,
        audit_id: auditId,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR fired_at <= :hourAgo',
      ExpressionAttributeValues: {
        ':hourAgo': toTimestamp(new Date(Date.parse(now) - HOUR_MS)),
      },
    },
  },
});
