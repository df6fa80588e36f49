import { beforeAll, describe, expect, it } from 'vitest';
import { type Resource, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

describe('the SLA breach alarm', () => {
  const alarmOf = (template: Synthesized['templates']['monitoring']) => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(1);
    return (alarms[0] as [string, Resource])[1].Properties;
  };
  const watched = (alarm: Record<string, unknown>) =>
    alarm.Metrics as {
      MetricStat?: {
        Metric: { MetricName: string; Namespace: string; Dimensions: unknown[] };
        Period: number;
      };
      Expression?: string;
    }[];

  it('fires on any breach of an urgent ticket within a minute, across every SLA metric, and notifies the ops topic', () => {
    const alarm = alarmOf(synth.templates.monitoring);
    const metrics = watched(alarm).filter((metric) => metric.MetricStat);
    expect(metrics).toHaveLength(6);
    for (const metric of metrics) {
      expect(metric.MetricStat?.Metric).toMatchObject({ MetricName: 'SlaBreaches', Namespace: 'Relaydesk' });
      expect(metric.MetricStat?.Metric.Dimensions).toContainEqual({ Name: 'priority', Value: 'urgent' });
    }
    expect(metrics.map((metric) => metric.MetricStat?.Period)).toEqual([60, 60, 60, 60, 60, 60]);
    expect(alarm).toMatchObject({
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const [action] = alarm.AlarmActions as unknown[];
    expect(JSON.stringify(action)).toContain('Fn::ImportValue');
    expect(JSON.stringify(action)).toContain('OpsTopic');
  });

  it('takes its priority, threshold and period from the CDK context', () => {
    const custom = synthesize({
      context: { slaAlarmPriority: 'high', slaAlarmThreshold: '3', slaAlarmPeriodMinutes: '5' },
    });
    const alarm = alarmOf(custom.templates.monitoring);
    expect(alarm.Threshold).toBe(3);
    expect(watched(alarm).find((metric) => metric.MetricStat)?.MetricStat?.Period).toBe(300);
    expect(watched(alarm).find((metric) => metric.MetricStat)?.MetricStat?.Metric.Dimensions).toContainEqual({
      Name: 'priority',
      Value: 'high',
    });
  });

  it('refuses a priority that does not exist', () => {
    expect(() => synthesize({ context: { slaAlarmPriority: 'critical' } })).toThrow(/slaAlarmPriority/);
  });
});

describe('the operations dashboard', () => {
  it('shows SLA breaches and achieved rate per metric, escalations, queues and DLQs, function errors and throttles, API 5xx and latency', () => {
    const dashboards = resourcesOfType(synth.templates.monitoring, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify((dashboards[0] as [string, Resource])[1].Properties.DashboardBody);
    for (const title of [
      'SLA breaches per metric',
      'SLA achieved rate per metric (%)',
      'Escalations (group transfers)',
      'Queue depths (messages visible)',
      'Dead-letter queues (messages visible)',
      'Function errors',
      'Function throttles',
      'API 5xx',
      'API latency (ms)',
    ]) {
      expect(body).toContain(title);
    }
    for (const metric of ['first_reply_time', 'next_reply_time', 'requester_wait_time', 'agent_work_time']) {
      expect(body).toContain(`metric=\\\\\\"${metric}\\\\\\"`);
    }
    expect(body).toContain('SlaAchieved');
    // Transfers summed per target group, whatever the groups are named.
    expect(body).toContain(
      'SELECT SUM(TicketGroupTransfers) FROM SCHEMA(\\\\\\"Relaydesk\\\\\\", from_group, service, to_group) GROUP BY to_group',
    );
    expect(body).toContain('MetricName=\\\\\\"Throttles\\\\\\"');
    expect(body).toContain('5xx');
    expect(body).toContain('p99');
  });
});
