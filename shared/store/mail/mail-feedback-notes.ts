/**
 * One marker per SES feedback notification noted on a ticket, written in the same transaction as the
 * note, so a redelivered notification never adds a second note.
 */

import { physicalTableName } from '../tables.ts';
import { ticketPartition } from '../tickets/tickets.ts';
import type { LabelledItem } from '../transactions.ts';

export const FEEDBACK_NOTE_LABEL = 'mail_feedback';

export const feedbackNoteClaim = (ticketId: number, feedbackId: string): LabelledItem => ({
  label: FEEDBACK_NOTE_LABEL,
  item: {
    Put: {
      TableName: physicalTableName('tickets'),
      Item: { pk: ticketPartition(ticketId), sk: `MAIL_FEEDBACK#${feedbackId}`, feedback_id: feedbackId },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
});
