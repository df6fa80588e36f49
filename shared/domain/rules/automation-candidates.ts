/**
 * Which tickets an automation could possibly match, as index key conditions, so the hourly run reads
 * only those: the status partitions its status conditions allow (never `closed`, which automations
 * never touch) and, where a time condition bounds the ticket's `updated_at`, that range of the
 * partition's update order (updated-at-range.ts, shared with views). A plan is a pre-filter: it may
 * include tickets the conditions then reject, never exclude one they would accept.
 */
import { TICKET_STATUSES, type TicketStatus } from '../tickets/ticket.ts';
import { PROBE_TICKET } from './automation-rules.ts';
import type { CompiledRule, ValidCondition } from './compile-rule.ts';
import type { RuleContext } from './rule-context.ts';
import { type UpdatedAtRange, updatedAtRange } from './updated-at-range.ts';

/** One status partition, optionally narrowed to tickets last updated within (after, atOrBefore]. */
export interface CandidateQuery extends UpdatedAtRange {
  status: TicketStatus;
}

const probeContext = (status: TicketStatus): RuleContext => ({ ticket: { ...PROBE_TICKET, status } });

const isStatusCondition = (condition: ValidCondition) => condition.condition.field === 'status';

/**
 * The statuses the rule's status conditions accept, tested with the engine's own predicates. `any`
 * narrows only when every `any` condition is on status (otherwise another one may hold instead).
 */
export const candidateStatuses = (rule: CompiledRule): TicketStatus[] => {
  const allOnStatus = rule.all.filter(isStatusCondition);
  const anyOnStatus = rule.any.length > 0 && rule.any.every(isStatusCondition) ? rule.any : [];
  return TICKET_STATUSES.filter((status) => {
    if (status === 'closed') return false;
    const context = probeContext(status);
    return (
      allOnStatus.every((condition) => condition.test(context)) &&
      (anyOnStatus.length === 0 || anyOnStatus.some((condition) => condition.test(context)))
    );
  });
};

/** The partitions and ranges to read for one automation at `now` (ISO 8601). */
export const candidateQueries = (rule: CompiledRule, now: string): CandidateQuery[] => {
  const range = updatedAtRange(rule.conditions.all, now);
  if (!range) return [];
  return candidateStatuses(rule).map((status) => ({ status, ...range }));
};

/**
 * One query per status covering every automation's range (their union's hull), so a ticket several
 * automations may match is read once and all of them run on it in order.
 */
export const mergeCandidateQueries = (queries: readonly CandidateQuery[]): CandidateQuery[] =>
  TICKET_STATUSES.flatMap((status) => {
    const forStatus = queries.filter((query) => query.status === status);
    if (forStatus.length === 0) return [];
    // Timestamps of one format sort as text; undefined when some automation leaves that side open.
    const sortedBounds = (bound: 'updatedAfter' | 'updatedAtOrBefore') =>
      forStatus.some((query) => query[bound] === undefined)
        ? undefined
        : forStatus.map((query) => query[bound] as string).sort();
    const updatedAfter = sortedBounds('updatedAfter')?.[0];
    const updatedAtOrBefore = sortedBounds('updatedAtOrBefore')?.at(-1);
    return [
      {
        status,
        ...(updatedAfter !== undefined ? { updatedAfter } : {}),
        ...(updatedAtOrBefore !== undefined ? { updatedAtOrBefore } : {}),
      },
    ];
  });
