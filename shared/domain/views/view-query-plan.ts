/**
 * Which tickets-table index partitions a view reads. A view never scans: its `all` conditions (which
 * Zendesk requires to test status, type, group, assignee or requester) pick the narrowest indexed
 * superset of its tickets, and the rule engine then tests every condition on what was read.
 *
 * Plan choice, narrowest first:
 * 1. `assignee_id is <agent|current_user>` → byAssignee: one agent's tickets (all statuses).
 * 2. `requester_id is <user|current_user>` → byRequester: one requester's tickets.
 * 3. `group_id is <group>` → byGroupStatus: one partition per status the conditions allow.
 * 4. status conditions that rule statuses out → byStatus: one partition per allowed status.
 * 5. anything else (only `type`, or negated references) → byUpdated: every live ticket.
 * Conditions that no status satisfies (`status is open` and `status is solved`) read nothing.
 *
 * Time conditions ("hours since solved less than 168") narrow the partitions kept in update order
 * (3–5) to the `updated_at` range they allow at the request's instant, the same range automations
 * read (updated-at-range.ts); conditions no ticket can meet at that instant read nothing. The people
 * partitions (1–2) are in creation order, so time conditions only filter what they hold.
 *
 * Cost: each partition is read newest first (update order, or creation order for people), up to
 * MAX_TICKETS_PER_PARTITION items, so one execution costs at most that many item reads per partition
 * (about one read unit per 8 KB of ticket, eventually consistent), whatever page is asked for: sorting by
 * any column and counting need every candidate. An assignee "none" (`""`) is not indexed (sparse
 * indexes hold no nulls), so unassigned views read their status partitions and filter.
 */
import type { Condition } from '../rules/conditions.ts';
import { type UpdatedAtRange, updatedAtRange } from '../rules/updated-at-range.ts';
import { TICKET_STATUSES, type TicketStatus } from '../tickets/ticket.ts';

/** Execution reads at most this many tickets per partition, newest first (Zendesk's offset-paging cap). */
export const MAX_TICKETS_PER_PARTITION = 10_000;

/** Partitions in update order may be narrowed to an `updated_at` range. */
export type TicketIndexRead =
  | { index: 'byAssignee'; assigneeId: number }
  | { index: 'byRequester'; requesterId: number }
  | ({ index: 'byGroupStatus'; groupId: number; status: TicketStatus } & UpdatedAtRange)
  | ({ index: 'byStatus'; status: TicketStatus } & UpdatedAtRange)
  | ({ index: 'byUpdated' } & UpdatedAtRange);

const statusRank = (status: string) => TICKET_STATUSES.indexOf(status as TicketStatus);

const statusHolds = (condition: Condition, status: TicketStatus): boolean => {
  const expected = condition.value ?? '';
  switch (condition.operator) {
    case 'is':
      return status === expected;
    case 'is_not':
      return status !== expected;
    case 'less_than':
      return statusRank(status) < statusRank(expected);
    case 'greater_than':
      return statusRank(status) > statusRank(expected);
    default:
      return true;
  }
};

/** The statuses every `all` status condition allows. */
export const statusesAllowed = (all: readonly Condition[]): TicketStatus[] => {
  const statusConditions = all.filter((condition) => condition.field === 'status');
  return TICKET_STATUSES.filter((status) =>
    statusConditions.every((condition) => statusHolds(condition, status)),
  );
};

/** The one person or group an `is` condition names (`current_user` is the caller); none for `""`. */
const namedReference = (
  all: readonly Condition[],
  field: 'assignee_id' | 'requester_id' | 'group_id',
  currentUserId: number,
): number | undefined => {
  for (const condition of all) {
    if (condition.field !== field || condition.operator !== 'is') continue;
    if (condition.value === 'current_user') return field === 'group_id' ? undefined : currentUserId;
    const id = Number(condition.value);
    if (condition.value && Number.isSafeInteger(id) && id > 0) return id;
  }
  return undefined;
};

/** The partitions to read for `all` run by `currentUserId` at `now` (ISO 8601). */
export const planViewQuery = (
  all: readonly Condition[],
  currentUserId: number,
  now: string,
): TicketIndexRead[] => {
  const statuses = statusesAllowed(all);
  const range = updatedAtRange(all, now);
  if (statuses.length === 0 || !range) return [];
  const assigneeId = namedReference(all, 'assignee_id', currentUserId);
  if (assigneeId !== undefined) return [{ index: 'byAssignee', assigneeId }];
  const requesterId = namedReference(all, 'requester_id', currentUserId);
  if (requesterId !== undefined) return [{ index: 'byRequester', requesterId }];
  const groupId = namedReference(all, 'group_id', currentUserId);
  if (groupId !== undefined)
    return statuses.map((status) => ({ index: 'byGroupStatus', groupId, status, ...range }));
  if (statuses.length < TICKET_STATUSES.length)
    return statuses.map((status) => ({ index: 'byStatus', status, ...range }));
  return [{ index: 'byUpdated', ...range }];
};
