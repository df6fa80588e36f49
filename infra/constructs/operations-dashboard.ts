/**
 * The CloudWatch dashboard operators open first: SLA breaches and achieved rate per metric,
 * escalations (group transfers), queue depths and dead-letter queues, function errors and throttles,
 * API 5xx and latency. Queues and
 * functions are found with SEARCH on the stack prefix (every physical name carries it), so the
 * dashboard follows new consumers without cross-stack references; only the API is referenced.
 */
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Dashboard, GraphWidget, type IMetric, MathExpression, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { SLA_METRICS } from '../../shared/domain/sla/sla-timers.ts';
import { GROUP_TRANSFERS_METRIC } from '../../shared/observability/escalation-metrics.ts';
import { METRICS_NAMESPACE } from '../../shared/observability/relaydesk-metrics.ts';

export interface OperationsDashboardProps {
  /** Stack name prefix shared by every Relaydesk resource name (buildApp's `stackPrefix`). */
  prefix: string;
  api: HttpApi;
}

const PERIOD = Duration.minutes(5);

const search = (query: string, statistic: string, label: string): IMetric =>
  new MathExpression({
    expression: `SEARCH('${query}', '${statistic}', ${PERIOD.toSeconds()})`,
    usingMetrics: {},
    label,
    period: PERIOD,
  });

/** One series per SLA metric: the sum over priorities. */
const slaSeries = (metricName: string, metric: string) =>
  `SUM(SEARCH('{${METRICS_NAMESPACE},metric,priority,service} MetricName="${metricName}" metric="${metric}"', 'Sum', ${PERIOD.toSeconds()}))`;

/**
 * One series per target group, summed over source groups. A Metrics Insights query rather than SEARCH:
 * SEARCH returns one series per (from_group, to_group) pair and cannot add them up by a dimension
 * whose values (group names) are not known when the dashboard is deployed.
 */
const escalationsByTargetGroup = `SELECT SUM(${GROUP_TRANSFERS_METRIC}) FROM SCHEMA("${METRICS_NAMESPACE}", from_group, service, to_group) GROUP BY to_group`;

export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { prefix } = props;
    const perMetric = (expression: (metric: string) => string, label: string) =>
      SLA_METRICS.map(
        (metric) =>
          new MathExpression({
            expression: expression(metric),
            usingMetrics: {},
            label: `${label} ${metric}`,
            period: PERIOD,
          }),
      );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${prefix}-Operations`,
      defaultInterval: Duration.hours(24),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Relaydesk operations\nSLA outcomes, escalations, queues, functions and the API. Alarms notify the ops topic.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'SLA breaches per metric',
        left: perMetric((metric) => slaSeries('SlaBreaches', metric), 'breaches'),
        width: 12,
      }),
      new GraphWidget({
        title: 'SLA achieved rate per metric (%)',
        left: perMetric(
          (metric) =>
            `100 * ${slaSeries('SlaAchieved', metric)} / (${slaSeries('SlaAchieved', metric)} + ${slaSeries('SlaBreaches', metric)})`,
          'achieved',
        ),
        leftYAxis: { min: 0, max: 100 },
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Escalations (group transfers)',
        left: [
          new MathExpression({
            expression: escalationsByTargetGroup,
            usingMetrics: {},
            // A CloudWatch dynamic label: each series is named after its group, where a static one would
            // name them all alike.
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudWatch expands ${LABEL}, not JavaScript.
            label: 'to ${LABEL}',
            period: PERIOD,
          }),
        ],
        width: 24,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Queue depths (messages visible)',
        left: [
          search(
            `{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" ${prefix} NOT DeadLetter`,
            'Maximum',
            'queue',
          ),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Dead-letter queues (messages visible)',
        left: [
          search(
            `{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" ${prefix} DeadLetter`,
            'Maximum',
            'dead letters',
          ),
        ],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Function errors',
        left: [search(`{AWS/Lambda,FunctionName} MetricName="Errors" ${prefix}`, 'Sum', 'errors')],
        width: 12,
      }),
      new GraphWidget({
        title: 'Function throttles',
        left: [search(`{AWS/Lambda,FunctionName} MetricName="Throttles" ${prefix}`, 'Sum', 'throttles')],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API 5xx',
        left: [props.api.metricServerError({ period: PERIOD, statistic: 'Sum', label: '5xx' })],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency (ms)',
        left: ['p50', 'p90', 'p99'].map((statistic) =>
          props.api.metricLatency({ period: PERIOD, statistic, label: statistic }),
        ),
        width: 12,
      }),
    );
  }
}
