/** Which of a ticket's breaches are still to be reported, from its stored SLA state and report claims. */
import type { SlaMetricState } from '../../domain/sla/sla-clocks.ts';
import { breachInstanceKey, reportedBreaches } from '../../store/sla/breach-reports.ts';
import { getTicketSlaState } from '../../store/sla/ticket-slas.ts';

export const unreportedBreaches = async (ticketId: number): Promise<SlaMetricState[]> => {
  const [state, reported] = await Promise.all([getTicketSlaState(ticketId), reportedBreaches(ticketId)]);
  return (state?.policy_metrics ?? []).filter(
    (metric) => metric.breached && !reported.has(breachInstanceKey(metric)),
  );
};
