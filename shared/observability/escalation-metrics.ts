/**
 * Escalations as operators watch them in CloudWatch: `TicketGroupTransfers` in namespace Relaydesk with
 * dimensions `from_group` and `to_group` (group names, plus Powertools' `service`), one per audit
 * that moves a ticket between groups. One dimension set only, as for the SLA metrics; the dashboard
 * groups by `to_group` with a Metrics Insights query.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics } from './relaydesk-metrics.ts';

export const GROUP_TRANSFERS_METRIC = 'TicketGroupTransfers';

export interface GroupTransferLabels {
  fromGroup: string;
  toGroup: string;
}

/** Written at once (a single-metric flush), like the SLA counts. */
export const countGroupTransfer = ({ fromGroup, toGroup }: GroupTransferLabels): void => {
  const line = metrics.singleMetric();
  line.addDimensions({ from_group: fromGroup, to_group: toGroup });
  line.addMetric(GROUP_TRANSFERS_METRIC, MetricUnit.Count, 1);
};
