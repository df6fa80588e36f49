/**
 * "Now" for every function. The offset exists for the local runtime alone, which moves time forward
 * (POST /_local/clock) so that automations, SLA timers and survey delays can be exercised without
 * waiting; deployed functions never set it, so there "now" is the system clock.
 */

/** Timestamps as Zendesk writes them: ISO 8601 UTC to the second (`2026-11-25T08:17:09Z`). */
export const toTimestamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

let clockOffsetMs = 0;

/** Local runtime only: how far the process clock runs ahead of the system clock. */
export const setClockOffset = (offsetMs: number): void => {
  if (!Number.isSafeInteger(offsetMs) || offsetMs < 0) {
    throw new RangeError(`Clock offset must be a non-negative whole number of ms, got ${offsetMs}`);
  }
  clockOffsetMs = offsetMs;
};

export const clockOffset = (): number => clockOffsetMs;

/** Epoch milliseconds now, as this process sees it. */
export const nowMs = (): number => Date.now() + clockOffsetMs;

export const nowTimestamp = (): string => toTimestamp(new Date(nowMs()));
