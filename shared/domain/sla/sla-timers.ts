/**
 * The contract between SLA clocks and breach timers. The SLA consumer computes, for each ticket, the
 * metrics whose clock is running and when each would breach; the timer port keeps exactly one
 * one-time timer per such metric (EventBridge Scheduler in AWS, the local runtime's scheduler
 * locally) and removes the rest. A timer that fires only names what to re-check: the handler reads
 * the ticket's current SLA state, so a stale timer does nothing.
 */
export const SLA_METRICS = [
  'first_reply_time',
  'next_reply_time',
  'periodic_update_time',
  'pausable_update_time',
  'requester_wait_time',
  'agent_work_time',
] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

/** A running clock that breaches at `breach_at` unless fulfilled, paused or re-targeted first. */
export interface SlaTimer {
  ticket_id: number;
  metric: SlaMetric;
  /** ISO 8601 UTC. */
  breach_at: string;
}

/** What a timer delivers when it fires (the message body on the SLA queue). */
export interface SlaTimerFired {
  ticket_id: number;
  metric: SlaMetric;
  breach_at: string;
}

/** Deterministic, so a ticket's timer for a metric is found, replaced and deleted by name alone. */
export const slaTimerName = (ticketId: number, metric: SlaMetric): string => `sla-${ticketId}-${metric}`;

export interface SlaTimerPort {
  /**
   * Makes the ticket's timers exactly `running`: creates or moves those that differ, deletes the
   * ticket's other metrics' timers. Idempotent.
   */
  syncTimers(ticketId: number, running: readonly SlaTimer[]): Promise<void>;
}
