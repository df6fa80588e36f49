/**
 * The SLA figures operators watch in CloudWatch, as embedded metric format (EMF) lines from Powertools:
 * `SlaBreaches` and `SlaAchieved` in namespace Relaydesk with dimensions `metric` and `priority` (plus
 * Powertools' `service`). One dimension set only: Powertools warns on a key in several sets, and
 * CloudWatch metric math sums across priorities or metrics where the alarm and dashboard need it.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SlaMetric } from '../domain/sla/sla-timers.ts';
import type { TicketPriority } from '../domain/tickets/ticket.ts';
import { metrics } from './relaydesk-metrics.ts';

export interface SlaOutcome {
  metric: SlaMetric;
  /** A ticket without priority has no SLA target; `none` keeps the dimension value non-empty anyway. */
  priority: TicketPriority | null;
}

/** Written at once (a single-metric flush): the breach count must not wait for the end of a batch. */
const emit = (name: 'SlaBreaches' | 'SlaAchieved', { metric, priority }: SlaOutcome): void => {
  const line = metrics.singleMetric();
  const priorityValue = priority ?? 'none';
  line.addDimensions({ metric, priority: priorityValue });
  line.addMetric(name, MetricUnit.Count, 1);
};

export const countSlaBreach = (outcome: SlaOutcome): void => emit('SlaBreaches', outcome);

/** For the clocks' fulfil path: with SlaBreaches it gives the achieved rate per metric. */
export const countSlaAchieved = (outcome: SlaOutcome): void => emit('SlaAchieved', outcome);
