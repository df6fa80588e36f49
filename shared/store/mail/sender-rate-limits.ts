/**
 * New tickets per sender per hour (mail loop protection): a counter per address and clock hour in the
 * directory table, expiring by TTL, advanced in the transaction that creates the ticket so the limit
 * holds under concurrent deliveries.
 */
import { physicalTableName } from '../tables.ts';
import type { LabelledItem } from '../transactions.ts';

export const SENDER_RATE_LABEL = 'sender_rate';

export const newTicketsPerHourLimit = (): number => {
  const configured = Number(process.env.MAIL_NEW_TICKETS_PER_SENDER_PER_HOUR);
  return Number.isInteger(configured) && configured > 0 ? configured : 20;
};

export const senderRateItem = (
  address: string,
  now: string,
  limit = newTicketsPerHourLimit(),
): LabelledItem => {
  const hour = now.slice(0, 13);
  const expiresAt = Math.floor(Date.parse(`${hour}:00:00Z`) / 1000) + 2 * 3600;
  return {
    label: SENDER_RATE_LABEL,
    item: {
      Update: {
        TableName: physicalTableName('directory'),
        Key: { pk: `MAIL_SENDER_RATE#${address}`, sk: hour },
        UpdateExpression: 'ADD #count :one SET expires_at = :expires',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': expiresAt },
      },
    },
  };
};
