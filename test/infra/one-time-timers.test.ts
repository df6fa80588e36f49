import { beforeAll, describe, expect, it } from 'vitest';
import { allFunctions, csatSurveyMail, slaTimerChecks, type TimerConsumer } from '../../infra/topology.ts';
import {
  functionForEntry,
  logicalIdOf,
  type Resource,
  referencedId,
  resourceById,
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
const timerQueue = (consumer: TimerConsumer) => {
  const queue = synth.stacks.events.timers.queues.get(consumer.name);
  if (!queue) throw new Error(`no timer queue for ${consumer.name}`);
  return queue;
};
const queueIdOf = (consumer: TimerConsumer) => logicalIdOf(timerQueue(consumer).queue);
const schedulerRoleId = () => logicalIdOf(synth.stacks.events.timers.schedulerRole);
const scheduleGroupName = () => {
  const groups = resourcesOfType(synth.templates.events, 'AWS::Scheduler::ScheduleGroup');
  expect(groups).toHaveLength(1);
  return String((groups[0] as [string, Resource])[1].Properties.Name);
};
const mappingOf = (consumer: TimerConsumer): Record<string, unknown> => {
  const [functionId] = functionForEntry(synth.templates.events, consumer.entry);
  const found = resourcesOfType(synth.templates.events, 'AWS::Lambda::EventSourceMapping').filter(
    ([, candidate]) => referencedId(candidate.Properties.FunctionName)?.id === functionId,
  );
  expect(found).toHaveLength(1);
  return (found[0] as [string, Resource])[1].Properties;
};

describe('one-time timers', () => {
  it('keep every schedule in one group', () => {
    expect(scheduleGroupName()).not.toBe('');
  });

  it('give the scheduler role, assumable by Scheduler of this account only, nothing but sqs:SendMessage to the SLA and CSAT timer queues', () => {
    const role = resourceById(synth.templates.events, schedulerRoleId());
    expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    const statements = statementsOfRole(schedulerRoleId());
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Action: 'sqs:SendMessage' });
    expect([statements[0]?.Resource].flat().map((resource) => referencedId(resource))).toEqual([
      { id: queueIdOf(slaTimerChecks), attribute: 'Arn' },
      { id: queueIdOf(csatSurveyMail), attribute: 'Arn' },
    ]);
  });

  it('are kept by the SLA functions and the CSAT scheduler, not by the survey sender', () => {
    expect(allFunctions().flatMap((spec) => (spec.timers ? [spec.name] : []))).toEqual([
      'check-sla-breach',
      'update-ticket-slas',
      'schedule-csat-surveys',
    ]);
    const [, sender] = functionForEntry(synth.templates.events, csatSurveyMail.entry);
    const senderActions = statementsOfRole(roleOfFunction(sender)).flatMap(actionsOf);
    expect(senderActions.filter((action) => /^scheduler:|^iam:PassRole$/.test(action))).toEqual([]);
  });

  describe.each(
    allFunctions()
      .filter((spec) => spec.timers)
      .map((spec) => [spec.name, spec] as const),
  )('the %s function', (_name, spec) => {
    const fn = () => functionForEntry(synth.templates.events, spec.entry)[1];
    const statements = () => statementsOfRole(roleOfFunction(fn()));

    it('manages schedules of the timer group only', () => {
      const scheduling = statements().filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('scheduler:')),
      );
      expect(scheduling).toHaveLength(1);
      expect(actionsOf(scheduling[0] as Statement).sort()).toEqual([
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
        'scheduler:UpdateSchedule',
      ]);
      expect(JSON.stringify(scheduling[0]?.Resource)).toContain(`:schedule/${scheduleGroupName()}/*"]]}`);
    });

    it('passes exactly the scheduler role, to Scheduler only', () => {
      const passRole = statements().filter((statement) => actionsOf(statement).includes('iam:PassRole'));
      expect(passRole).toHaveLength(1);
      expect(referencedId(passRole[0]?.Resource)).toEqual({ id: schedulerRoleId(), attribute: 'Arn' });
      expect(passRole[0]?.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      });
    });

    it('knows the group, the role and each timer queue by the variables the handlers read', () => {
      const environment = (fn().Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(environment.TIMER_SCHEDULE_GROUP).toBe(scheduleGroupName());
      expect(referencedId(environment.TIMER_ROLE_ARN)?.id).toBe(schedulerRoleId());
      expect(referencedId(environment.TIMER_TARGET_ARN)).toEqual({
        id: queueIdOf(slaTimerChecks),
        attribute: 'Arn',
      });
      expect(referencedId(environment.CSAT_TIMER_TARGET_ARN)).toEqual({
        id: queueIdOf(csatSurveyMail),
        attribute: 'Arn',
      });
    });
  });

  describe.each([
    [slaTimerChecks.name, slaTimerChecks],
    [csatSurveyMail.name, csatSurveyMail],
  ] as const)('the %s timer queue', (_name, consumer) => {
    it('feeds its function in the declared batches, reporting partial batch failures', () => {
      const mapping = mappingOf(consumer);
      expect(referencedId(mapping.EventSourceArn)).toEqual({ id: queueIdOf(consumer), attribute: 'Arn' });
      expect(mapping.BatchSize).toBe(consumer.batchSize);
      expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    });

    it('moves a message to its alarmed dead-letter queue after the declared receives', () => {
      const queue = resourceById(synth.templates.events, queueIdOf(consumer));
      expect(queue.Properties.VisibilityTimeout).toBe(consumer.visibilityTimeoutSeconds);
      const redrive = queue.Properties.RedrivePolicy as {
        deadLetterTargetArn: unknown;
        maxReceiveCount: number;
      };
      expect(redrive.maxReceiveCount).toBe(consumer.maxReceiveCount);
      const { deadLetterQueue } = timerQueue(consumer);
      expect(referencedId(redrive.deadLetterTargetArn)?.id).toBe(logicalIdOf(deadLetterQueue.queue));
      expect(deadLetterQueue.alarm.alarmArn).toBeDefined();
    });
  });

  it('drain CSAT survey mail with at most the declared concurrency (SES sending rate); SLA checks are not capped', () => {
    expect(csatSurveyMail.maxConcurrency).toBe(2);
    expect(mappingOf(csatSurveyMail).ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    expect(mappingOf(slaTimerChecks).ScalingConfig).toBeUndefined();
  });
});
