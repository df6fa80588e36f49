/** Zendesk's ticket metric events (zendesk-api.md §6): what the SLA clocks did, and when. */
import type { SlaMetric } from './sla-timers.ts';

export type MetricEventType = 'apply_sla' | 'activate' | 'pause' | 'fulfill' | 'update_status' | 'breach';

/** Zendesk reports first and next reply as one metric, `reply_time`: instance 1 is the first reply. */
export type MetricEventMetric = Exclude<SlaMetric, 'first_reply_time' | 'next_reply_time'> | 'reply_time';

export const eventMetricOf = (metric: SlaMetric): MetricEventMetric =>
  metric === 'first_reply_time' || metric === 'next_reply_time' ? 'reply_time' : metric;

export interface AppliedSla {
  target: number;
  business_hours: boolean;
  policy: { id: number; title: string; description: string };
}

export interface TicketMetricEvent {
  id: number;
  ticket_id: number;
  metric: MetricEventMetric;
  instance_id: number;
  type: MetricEventType;
  /** ISO 8601 UTC. */
  time: string;
  /** `apply_sla` only: the target now enforced, null when none is any more. */
  sla?: AppliedSla | null;
  /** `update_status` only: minutes the instance has run so far. */
  status?: { calendar: number; business: number };
  /** `breach` only: a breach a later computation no longer finds (history read before it was complete). */
  deleted?: boolean;
}
