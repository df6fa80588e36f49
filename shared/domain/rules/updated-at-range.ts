/**
 * The range of a ticket's `updated_at` that "hours since …" conditions allow at one instant, so that
 * automation runs and views read only that range of an index partition's update order. A range is a
 * pre-filter: it may include tickets the conditions then reject, never exclude one they would accept.
 */
import { toTimestamp } from '../clock.ts';
import { conditionField, TIME_FIELD_ALIASES } from './condition-fields.ts';
import type { Condition } from './conditions.ts';

/** Tickets last updated within (updatedAfter, updatedAtOrBefore], as UTC timestamps to the second. */
export interface UpdatedAtRange {
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

/** Whether a condition measures hours since an instant ("hours since solved", its aliases, …). */
export const isTimeCondition = (condition: Pick<Condition, 'field'>): boolean =>
  conditionField(condition.field)?.kind === 'hours';

/**
 * The `updated_at` window one hours condition implies ("hours since" counts whole hours elapsed).
 * Every instant a time condition measures from (creation, status changes, assignment, updates by
 * requester or assignee) is at or before the ticket's last update, so "at most N hours ago" bounds
 * `updated_at` from below; only "hours since update" also bounds it from above. Undefined: never true.
 */
const windowOf = ({ field, operator, value }: Condition, now: number): UpdatedWindow | undefined => {
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

const asTimestamps = (window: UpdatedWindow): UpdatedAtRange => ({
  // A second earlier: stored times may carry milliseconds, which sort before the whole second.
  ...(window.after !== undefined ? { updatedAfter: toTimestamp(new Date(window.after - SECOND_MS)) } : {}),
  ...(window.atOrBefore !== undefined ? { updatedAtOrBefore: toTimestamp(new Date(window.atOrBefore)) } : {}),
});

/**
 * The `updated_at` range the time conditions among `all` (compiled ones: valid fields and values)
 * allow at `now` (ISO 8601); `{}` when they bound nothing, undefined when no ticket can satisfy them.
 */
export const updatedAtRange = (all: readonly Condition[], now: string): UpdatedAtRange | undefined => {
  const nowMs = Date.parse(now);
  let window: UpdatedWindow = {};
  for (const condition of all) {
    if (!isTimeCondition(condition)) continue;
    const implied = windowOf(condition, nowMs);
    if (!implied) return undefined;
    window = intersect(window, implied);
  }
  if (window.after !== undefined && window.atOrBefore !== undefined && window.after >= window.atOrBefore) {
    return undefined;
  }
  return asTimestamps(window);
};
