/** SLA policies, ticket SLA state and ticket metric events on the wire (zendesk-api.md §6). */
import type { TicketSlaState } from '../../domain/sla/sla-clocks.ts';

import type { SlaPolicy } from '../../domain/sla/sla-policy.ts';

export const slaPolicyUrl = (publicUrl: string, id: number): string =>
  `${publicUrl}/api/v2/slas/policies/${id}.json`;

export const serializeSlaPolicy = (policy: SlaPolicy, publicUrl: string) => ({
  id: policy.id,
  url: slaPolicyUrl(publicUrl, policy.id),
  title: policy.title,
  description: policy.description,
  position: policy.position,
  filter: policy.filter,
  policy_metrics: policy.policy_metrics,
  created_at: policy.created_at,
  updated_at: policy.updated_at,
});

/** Signed days, hours and minutes of a span, e.g. 90 → {0, 1, 30}, -90 → {0, -1, -30}. */
const daysHoursMinutes = (totalMinutes: number) => {
  const sign = totalMinutes < 0 ? -1 : 1;
  const minutes = Math.abs(totalMinutes);
  return {
    days: sign * Math.floor(minutes / 1440) || 0,
    hours: sign * Math.floor((minutes % 1440) / 60) || 0,
    minutes: sign * (minutes % 60) || 0,
  };
};

/**
 * `ticket.slas` (include=slas). An active clock shows the calendar time left until its breach
 * instant, as of `now` (negative once missed); a paused or achieved one the target minutes it had
 * left when it stopped.
 */
export const serializeTicketSlas = (state: TicketSlaState | undefined, now: string) => ({
  policy_metrics: (state?.policy_metrics ?? []).map((metric) => {
    const left =
      metric.stage === 'active' && metric.breach_at !== null
        ? Math.round((Date.parse(metric.breach_at) - Date.parse(now)) / 60_000)
        : metric.remaining_minutes;
    return {
      breach_at: metric.breach_at,
      stage: metric.stage,
      metric: metric.metric,
      ...daysHoursMinutes(left),
    };
  }),
});
