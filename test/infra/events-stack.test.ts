import { beforeAll, describe, expect, it } from 'vitest';
import { consumers, schedules, streamPublisher } from '../../infra/topology.ts';
import {
  functionForEntry,
  logicalIdOf,
  type Resource,
  referencedId,
  resolveImport,
  resourceById,
  resourcesOfType,
  type Synthesized,
  synthesize,
} from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const eventsResource = (logicalId: string | undefined): Resource =>
  resourceById(synth.templates.events, logicalId);

type Mapping = Record<string, unknown> & { EventSourceArn: unknown; FunctionName: unknown };
const mappings = (): Mapping[] =>
  resourcesOfType(synth.templates.events, 'AWS::Lambda::EventSourceMapping').map(
    ([, mapping]) => mapping.Properties as Mapping,
  );

/** The publisher's one event source mapping. */
const publisherMapping = (): Mapping => {
  const [publisherId] = functionForEntry(synth.templates.events, streamPublisher.entry);
  const found = mappings().filter((m) => referencedId(m.FunctionName)?.id === publisherId);
  expect(found).toHaveLength(1);
  return found[0] as Mapping;
};
const onFailureDestination = (holder: Record<string, unknown>): unknown =>
  (holder.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination;

describe('outbox: the tickets stream publisher', () => {
  const mapping = publisherMapping;

  it('reads the tickets table stream from the oldest record', () => {
    const { EventSourceArn, StartingPosition } = mapping();
    expect(resolveImport(EventSourceArn, synth.templates.data)).toEqual({
      id: logicalIdOf(synth.stacks.data.tables[streamPublisher.table]),
      attribute: 'StreamArn',
    });
    expect(StartingPosition).toBe('TRIM_HORIZON');
  });

  it('isolates poison records and parks exhausted batches in a DLQ', () => {
    const m = mapping();
    expect(m.BisectBatchOnFunctionError).toBe(true);
    expect(m.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(m.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(m.BatchSize).toBe(100);
    expect(eventsResource(referencedId(onFailureDestination(m))?.id).Type).toBe('AWS::SQS::Queue');
  });

  it('may put events on the bus, knows its name, and nothing else on the bus', () => {
    const [publisherId, publisher] = functionForEntry(synth.templates.events, streamPublisher.entry);
    const variables = (publisher.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(resolveImport(variables.EVENT_BUS_NAME, synth.templates.data)?.id).toBe(
      logicalIdOf(synth.stacks.data.bus),
    );
    const statements = policyStatementsOf(publisherId).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('events:')),
    );
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0])).toEqual(['events:PutEvents']);
    expect(resolveImport(statements[0]?.Resource, synth.templates.data)).toEqual({
      id: logicalIdOf(synth.stacks.data.bus),
      attribute: 'Arn',
    });
  });
});

describe.each(consumers.map((consumer) => [consumer.name, consumer] as const))(
  'consumer %s',
  (_name, consumer) => {
    /**
     * Walks function ← mapping ← queue ← rule. It starts from the consumer's function because
     * several consumers may share a pattern (metrics and triggers both follow creates and updates).
     */
    const wiring = () => {
      const [functionId, fn] = functionForEntry(synth.templates.events, consumer.entry);
      const functionMappings = mappings().filter((m) => referencedId(m.FunctionName)?.id === functionId);
      expect(functionMappings).toHaveLength(1);
      const mapping = functionMappings[0] as Mapping;
      const queueId = referencedId(mapping.EventSourceArn)?.id;
      const queue = eventsResource(queueId);
      expect(mappings().filter((m) => referencedId(m.EventSourceArn)?.id === queueId)).toHaveLength(1);
      const rules = resourcesOfType(synth.templates.events, 'AWS::Events::Rule').filter(([, rule]) =>
        (rule.Properties.Targets as { Arn: unknown }[]).some((t) => referencedId(t.Arn)?.id === queueId),
      );
      expect(rules).toHaveLength(1);
      const rule = (rules[0] as [string, Resource])[1];
      expect(rule.Properties.Targets as unknown[]).toHaveLength(1);
      return { rule, queue, queueId, mapping, functionId, fn };
    };

    it('has a rule on the bus whose pattern is exactly the declared one', () => {
      const { rule, queue } = wiring();
      expect(rule.Properties.EventPattern).toEqual(consumer.pattern);
      expect(resolveImport(rule.Properties.EventBusName, synth.templates.data)?.id).toBe(
        logicalIdOf(synth.stacks.data.bus),
      );
      expect(queue.Type).toBe('AWS::SQS::Queue');
    });

    it('has a queue with the declared visibility timeout that redrives to a DLQ', () => {
      const { queue } = wiring();
      expect(queue.Properties.VisibilityTimeout).toBe(consumer.visibilityTimeoutSeconds);
      const redrive = queue.Properties.RedrivePolicy as {
        deadLetterTargetArn: unknown;
        maxReceiveCount: number;
      };
      expect(redrive.maxReceiveCount).toBe(consumer.maxReceiveCount);
      expect(eventsResource(referencedId(redrive.deadLetterTargetArn)?.id).Type).toBe('AWS::SQS::Queue');
    });

    it('feeds its function in batches of the declared size, reporting partial failures', () => {
      const { mapping, fn } = wiring();
      expect(mapping.BatchSize).toBe(consumer.batchSize);
      expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(String(fn.Properties.Description)).toContain(`(${consumer.entry})`);
      if (consumer.timeoutSeconds) expect(fn.Properties.Timeout).toBe(consumer.timeoutSeconds);
    });

    it('keeps a message invisible for six function timeouts, so it is not redelivered mid-run', () => {
      const { queue, fn } = wiring();
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * Number(fn.Properties.Timeout));
    });
  },
);

describe.each(schedules.map((schedule) => [schedule.name, schedule] as const))(
  'schedule %s',
  (_name, schedule) => {
    it('runs its function on the declared expression', () => {
      const [functionId, fn] = functionForEntry(synth.templates.events, schedule.entry);
      const rules = resourcesOfType(synth.templates.events, 'AWS::Events::Rule').filter(([, rule]) =>
        (rule.Properties.Targets as { Arn: unknown }[]).some((t) => referencedId(t.Arn)?.id === functionId),
      );
      expect(rules).toHaveLength(1);
      expect(rules[0]?.[1].Properties.ScheduleExpression).toBe(schedule.expression);
      if (schedule.timeoutSeconds) expect(fn.Properties.Timeout).toBe(schedule.timeoutSeconds);
    });
  },
);

describe('dead-letter queues', () => {
  /** Every queue something dead-letters into: SQS redrive, stream on-failure, async and rule-target DLQs. */
  const deadLetterQueueIds = (): Set<string> => {
    const ids = new Set<string>();
    const add = (value: unknown) => {
      const id = referencedId(value)?.id;
      if (id) ids.add(id);
    };
    for (const { stack, resource } of synth.resources) {
      if (stack !== 'events') continue;
      const props = resource.Properties;
      if (resource.Type === 'AWS::SQS::Queue') {
        add((props.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn);
      }
      if (
        resource.Type === 'AWS::Lambda::EventSourceMapping' ||
        resource.Type === 'AWS::Lambda::EventInvokeConfig'
      ) {
        add(onFailureDestination(props));
      }
      if (resource.Type === 'AWS::Events::Rule') {
        for (const target of (props.Targets ?? []) as { DeadLetterConfig?: { Arn?: unknown } }[]) {
          add(target.DeadLetterConfig?.Arn);
        }
      }
    }
    return ids;
  };

  it('include one per consumer and the stream publisher’s on-failure queue', () => {
    const ids = deadLetterQueueIds();
    expect(ids.size).toBeGreaterThanOrEqual(consumers.length + 1);
    const publisherDlq = referencedId(onFailureDestination(publisherMapping()))?.id;
    expect(publisherDlq).toBeDefined();
    expect(ids).toContain(publisherDlq);
  });

  it('each raise an alarm to the ops topic at the first visible message', () => {
    const opsTopicId = logicalIdOf(synth.stacks.ops.topic);
    const alarms = resourcesOfType(synth.templates.events, 'AWS::CloudWatch::Alarm').map(
      ([, alarm]) => alarm.Properties,
    );
    for (const queueId of deadLetterQueueIds()) {
      const watching = alarms.filter(
        (alarm) =>
          alarm.Namespace === 'AWS/SQS' &&
          alarm.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(alarm.Dimensions) ===
            JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }]),
      );
      expect(watching, `alarm on ${queueId}`).toHaveLength(1);
      const alarm = (watching[0] ?? {}) as Record<string, unknown>;
      expect(alarm.Threshold).toBe(1);
      expect(alarm.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      const actions = alarm.AlarmActions as unknown[];
      expect(actions).toHaveLength(1);
      expect(resolveImport(actions[0], synth.templates.ops)).toEqual({ id: opsTopicId });
    }
  });
});

/** Inline policy statements attached to a function's role. */
const policyStatementsOf = (functionId: string): Statement[] => {
  const roleId = referencedId(eventsResource(functionId).Properties.Role)?.id;
  return resourcesOfType(synth.templates.events, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as unknown[]).some((r) => referencedId(r)?.id === roleId),
    )
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const actionsOf = (statement: Statement | undefined): string[] =>
  statement === undefined ? [] : ([] as string[]).concat(statement.Action);
