/** The net effect of rules on a ticket, as ticket-write changes plus what the ticket record does not hold. */
import type { TicketFieldChanges } from '../tickets/plan-ticket-write.ts';
import type { ActionState } from './actions.ts';
import type { RuleTicket } from './rule-context.ts';
import { sameValue } from './rule-values.ts';

export type RuleFieldChanges = Pick<
  TicketFieldChanges,
  'status' | 'priority' | 'type' | 'assignee_id' | 'group_id' | 'tags' | 'custom_fields'
> & { satisfaction_score?: 'offered' };

const SCALAR_FIELDS = ['status', 'priority', 'type', 'assignee_id', 'group_id'] as const;

/** Only what differs from the ticket the rules started from: a field set and set back is no change. */
export const ruleFieldChanges = (before: RuleTicket, after: RuleTicket): RuleFieldChanges => {
  const changes: Record<string, unknown> = {};
  for (const field of SCALAR_FIELDS) {
    if (!sameValue(before[field], after[field])) changes[field] = after[field];
  }
  if (before.tags.join(' ') !== after.tags.join(' ')) changes.tags = after.tags;
  if (JSON.stringify(before.custom_fields) !== JSON.stringify(after.custom_fields)) {
    changes.custom_fields = after.custom_fields.filter(
      (field) =>
        !sameValue(before.custom_fields.find((old) => old.id === field.id)?.value ?? null, field.value),
    );
  }
  if (after.satisfaction_score === 'offered' && before.satisfaction_score !== 'offered') {
    changes.satisfaction_score = 'offered';
  }
  return changes as RuleFieldChanges;
};

export const emptyActionState = (ticket: RuleTicket): ActionState => ({
  ticket,
  comments: [],
  sideEffects: [],
  ccs: [],
});
