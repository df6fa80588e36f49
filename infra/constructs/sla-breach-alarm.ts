/**
 * Operators hear about missed SLA targets: an alarm on the SlaBreaches EMF metric (namespace
 * Relaydesk, dimensions service, metric and priority) for one ticket priority, summed across the SLA
 * metrics with metric math (an alarm may not use SEARCH), notifying the ops topic. Default: any
 * breach of an urgent ticket within a minute.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SLA_METRICS } from '../../shared/domain/sla/sla-timers.ts';
import type { TicketPriority } from '../../shared/domain/tickets/ticket.ts';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../shared/observability/relaydesk-metrics.ts';

export interface SlaBreachAlarmProps {
  opsTopic: ITopic;
  /** Breaches of tickets of this priority count. Default urgent. */
  priority?: TicketPriority;
  /** Breaches within one period that raise the alarm. Default 1. */
  threshold?: number;
  /** Default one minute, the precision breaches are detected with. */
  period?: Duration;
}

/** One series per SLA metric and priority, as the breach check emits it. */
export const slaBreachMetric = (metric: string, priority: string, period: Duration): Metric =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: 'SlaBreaches',
    dimensionsMap: { service: METRICS_SERVICE, metric, priority },
    statistic: 'Sum',
    period,
  });

export class SlaBreachAlarm extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: SlaBreachAlarmProps) {
    super(scope, id);
    const priority = props.priority ?? 'urgent';
    const threshold = props.threshold ?? 1;
    const period = props.period ?? Duration.minutes(1);
    const usingMetrics = Object.fromEntries(
      SLA_METRICS.map((metric, index) => [`m${index}`, slaBreachMetric(metric, priority, period)]),
    );
    this.alarm = new Alarm(this, 'Alarm', {
      alarmDescription: `SLA targets missed on ${priority} tickets (${threshold} or more in ${period.toMinutes()} min): see the SLA dashboard and the tickets' sla_breached audits.`,
      metric: new MathExpression({
        // FILL: a metric with no breach in the period has no data point; count it as zero.
        expression: Object.keys(usingMetrics)
          .map((name) => `FILL(${name}, 0)`)
          .join(' + '),
        usingMetrics,
        label: `SLA breaches (${priority})`,
        period,
      }),
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new SnsAction(props.opsTopic));
  }
}
