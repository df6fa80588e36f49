import { beforeAll, describe, expect, it } from 'vitest';
import { consumers, slaTimerChecks } from '../../infra/topology.ts';
import {
  functionForEntry,
  logicalIdOf,
  type Resource,
  referencedId,
  resourcesOfType,
  type Synthesized,
  synthesize,
} from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
const actionsOf = (statement: Statement) => [statement.Action].flat();

/** Every statement of the policies attached to a role (by logical id), in the events stack. */
const statementsOfRole = (roleId: string): Statement[] =>
  resourcesOfType(synth.templates.events, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as unknown[]).some((role) => referencedId(role)?.id === roleId),
    )
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);

const roleOfFunction = (fn: Resource): string => referencedId(fn.Properties.Role)?.id ?? '';

const timerFunctions = () => [slaTimerChecks, ...consumers.filter((consumer) => consumer.timers)];

describe('SLA breach timers', () => {
  it('keep schedules in their own group', () => {
    expect(resourcesOfType(synth.templates.events, 'AWS::Scheduler::ScheduleGroup')).toHaveLength(1);
  });

  it('give the scheduler role, assumable by Scheduler of this account only, nothing but sqs:SendMessage to the SLA timers queue', () => {
    const roleId = logicalIdOf(synth.stacks.events.slaTimers.schedulerRole);
    const role = resourcesOfType(synth.templates.events, 'AWS::IAM::Role').find(([id]) => id === roleId)?.[1];
    expect(role?.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    const statements = statementsOfRole(roleId);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Action: 'sqs:SendMessage' });
    expect(referencedId(statements[0]?.Resource)).toEqual({
      id: logicalIdOf(synth.stacks.events.slaTimers.queue),
      attribute: 'Arn',
    });
  });

  it('let the functions that keep timers manage schedules of their group only, and pass exactly the scheduler role', () => {
    const [, group] = resourcesOfType(synth.templates.events, 'AWS::Scheduler::ScheduleGroup')[0] as [
      string,
      Resource,
    ];
    const groupName = String(group.Properties.Name);
    const schedulerRoleId = logicalIdOf(synth.stacks.events.slaTimers.schedulerRole);
    expect(timerFunctions().map((spec) => spec.name)).toEqual(['check-sla-breach', 'update-ticket-slas']);
    for (const spec of timerFunctions()) {
      const [, fn] = functionForEntry(synth.templates.events, spec.entry);
      const statements = statementsOfRole(roleOfFunction(fn));
      const scheduling = statements.filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('scheduler:')),
      );
      expect(scheduling).toHaveLength(1);
      expect(actionsOf(scheduling[0] as Statement).sort()).toEqual([
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
        'scheduler:UpdateSchedule',
      ]);
      const scheduleArn = JSON.stringify(scheduling[0]?.Resource);
      expect(scheduleArn).toContain(`:schedule/${groupName}/*"]]}`);

      const passRole = statements.filter((statement) => actionsOf(statement).includes('iam:PassRole'));
      expect(passRole).toHaveLength(1);
      expect(referencedId(passRole[0]?.Resource)).toEqual({ id: schedulerRoleId, attribute: 'Arn' });
      expect(passRole[0]?.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      });

      const environment = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(environment.TIMER_SCHEDULE_GROUP).toBe(groupName);
      expect(referencedId(environment.TIMER_TARGET_ARN)?.id).toBe(
        logicalIdOf(synth.stacks.events.slaTimers.queue),
      );
      expect(referencedId(environment.TIMER_ROLE_ARN)?.id).toBe(schedulerRoleId);
    }
  });

  it('feed the check-sla-breach function from the SLA timers queue, with an alarmed dead-letter queue', () => {
    const [functionId] = functionForEntry(synth.templates.events, slaTimerChecks.entry);
    const mapping = resourcesOfType(synth.templates.events, 'AWS::Lambda::EventSourceMapping').find(
      ([, candidate]) => referencedId(candidate.Properties.FunctionName)?.id === functionId,
    )?.[1];
    expect(referencedId(mapping?.Properties.EventSourceArn)).toEqual({
      id: logicalIdOf(synth.stacks.events.slaTimers.queue),
      attribute: 'Arn',
    });
    expect(mapping?.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(synth.stacks.events.slaTimers.deadLetterQueue.alarm.alarmArn).toBeDefined();
  });
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
  it('shows SLA breaches and achieved rate per metric, queues and DLQs, function errors and throttles, API 5xx and latency', () => {
    const dashboards = resourcesOfType(synth.templates.monitoring, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify((dashboards[0] as [string, Resource])[1].Properties.DashboardBody);
    for (const title of [
      'SLA breaches per metric',
      'SLA achieved rate per metric (%)',
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
    expect(body).toContain('MetricName=\\\\\\"Throttles\\\\\\"');
    expect(body).toContain('5xx');
    expect(body).toContain('p99');
  });
});
