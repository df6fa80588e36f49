/**
 * Which tickets an automation could possibly match, as index key conditions, so the hourly run reads
 * only those: the status partitions its status conditions allow (never `closed`, which automations
 * never touch) and, where a time condition bounds the ticket's `updated_at`, that range of the
 * partition's update order. A plan is a pre-filter: it may include tickets the conditions then reject,
 * never exclude one they would accept.
 */
import { toTimestamp } from '../clock.ts';
import { TICKET_STATUSES, type TicketStatus } from '../tickets/ticket.ts';
import { PROBE_TICKET } from './automation-rules.ts';
import type { CompiledRule, ValidCondition } from './compile-rule.ts';
import { TIME_FIELD_ALIASES } from './condition-fields.ts';
import type { RuleContext } from './rule-context.ts';

/** One status partition, optionally narrowed to tickets last updated within (after, atOrBefore]. */
export interface CandidateQuery {
  status: TicketStatus;
  updatedAfter?: string;
  updatedAtOrBefore?: string;
}

interface UpdatedWindow {
  /** Epoch ms, exclusive. */
  after?: number;
  /** Epoch ms, inclusive. */
  atOrBefore?: number;
}

const HOUR_MS = 3_600_000;
const SECOND_MS = 1000;

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

/**
 * The `updated_at` window one hours condition implies ("hours since" counts whole hours elapsed).
 * Every instant a time condition measures from (creation, status changes, assignment, updates by
 * requester or assignee) is at or before the ticket's last update, so "at most N hours ago" bounds
 * `updated_at` from below; only "hours since update" also bounds it from above. Undefined: never true.
 */
const windowOf = (condition: ValidCondition, now: number): UpdatedWindow | undefined => {
  const { field, operator, value } = condition.condition;
  const hours = Number(value);
  const measuresUpdate = (TIME_FIELD_ALIASES[field] ?? field) === 'updated_at';
  if (operator === 'less_than') return { after: now - Math.ceil(hours) * HOUR_MS };
  if (operator === 'greater_than') {
    return measuresUpdate ? { atOrBefore: now - (Math.floor(hours) + 1) * HOUR_MS } : {};
  }
  // `is`: whole hours elapsed are never a fraction.
  if (!Number.isInteger(hours)) return undefined;
  return {
    after: now - (hours + 1) * HOUR_MS,
    ...(measuresUpdate ? { atOrBefore: now - hours * HOUR_MS } : {}),
  };
};

const intersect = (a: UpdatedWindow, b: UpdatedWindow): UpdatedWindow => {
  const after =
    a.after === undefined || b.after === undefined ? (a.after ?? b.after) : Math.max(a.after, b.after);
  const atOrBefore =
    a.atOrBefore === undefined || b.atOrBefore === undefined
      ? (a.atOrBefore ?? b.atOrBefore)
      : Math.min(a.atOrBefore, b.atOrBefore);
  return { ...(after !== undefined ? { after } : {}), ...(atOrBefore !== undefined ? { atOrBefore } : {}) };
};

const asTimestamps = (window: UpdatedWindow) => ({
  // A second earlier: stored times may carry milliseconds, which sort before the whole second.
  ...(window.after !== undefined ? { updatedAfter: toTimestamp(new Date(window.after - SECOND_MS)) } : {}),
  ...(window.atOrBefore !== undefined ? { updatedAtOrBefore: toTimestamp(new Date(window.atOrBefore)) } : {}),
});

/** The partitions and ranges to read for one automation at `now` (ISO 8601). */
export const candidateQueries = (rule: CompiledRule, now: string): CandidateQuery[] => {
  const nowMs = Date.parse(now);
  let window: UpdatedWindow = {};
  for (const condition of rule.all) {
    if (condition.field.kind !== 'hours') continue;
    const implied = windowOf(condition, nowMs);
    if (!implied) return [];
    window = intersect(window, implied);
  }
  if (window.after !== undefined && window.atOrBefore !== undefined && window.after >= window.atOrBefore) {
    return [];
  }
  return candidateStatuses(rule).map((status) => ({ status, ...asTimestamps(window) }));
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
