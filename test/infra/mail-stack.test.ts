/** The mail channel in AWS: SES receipt rule → S3 + SNS → inbound queue → function; SES sending → feedback. */
import { beforeAll, describe, expect, it } from 'vitest';
import { mailFeedback, mailIngress, type NotificationConsumer } from '../../infra/topology.ts';
import {
  functionForEntry,
  logicalIdOf,
  type Resource,
  referencedId,
  referencedResources,
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

const mailResource = (logicalId: string | undefined): Resource =>
  resourceById(synth.templates.mail, logicalId);
const only = (type: string): [string, Resource] => {
  const found = resourcesOfType(synth.templates.mail, type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};
type S3Action = { BucketName: unknown; ObjectKeyPrefix: string; TopicArn: unknown };
const receiptRule = () =>
  only('AWS::SES::ReceiptRule')[1].Properties as {
    Rule: {
      Recipients: string[];
      ScanEnabled: boolean;
      Enabled: boolean;
      Actions: { S3Action?: S3Action }[];
    };
    RuleSetName: unknown;
  };
const mailBucketId = () => logicalIdOf(synth.stacks.data.mailBucket);

describe('receiving', () => {
  it('has one rule set whose rule takes the support domain, with spam and virus scanning', () => {
    const [ruleSetId] = only('AWS::SES::ReceiptRuleSet');
    const { Rule, RuleSetName } = receiptRule();
    expect(referencedId(RuleSetName)?.id).toBe(ruleSetId);
    expect(Rule.Recipients).toEqual(['relaydesk.local']);
    expect(Rule.ScanEnabled).toBe(true);
    expect(Rule.Enabled).toBe(true);
  });

  it('writes the raw mail to the data stack’s mail bucket under inbound/ and notifies the inbound topic', () => {
    const { Rule } = receiptRule();
    expect(Rule.Actions).toHaveLength(1);
    const action = Rule.Actions[0]?.S3Action as S3Action;
    expect(resolveImport(action.BucketName, synth.templates.data)).toEqual({ id: mailBucketId() });
    expect(action.ObjectKeyPrefix).toBe('inbound/');
    expect(referencedId(action.TopicArn)?.id).toBe(logicalIdOf(synth.stacks.mail.receiving.topic));
  });

  it('lets SES put objects only under inbound/ and only for this account', () => {
    const policies = resourcesOfType(synth.templates.data, 'AWS::S3::BucketPolicy').filter(
      ([, p]) => referencedId(p.Properties.Bucket)?.id === mailBucketId(),
    );
    expect(policies).toHaveLength(1);
    const [, policy] = policies[0] as [string, Resource];
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    const ses = statements.filter(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'ses.amazonaws.com' }),
    );
    expect(ses).toHaveLength(1);
    expect(ses[0]?.Effect).toBe('Allow');
    expect(ses[0]?.Action).toBe('s3:PutObject');
    expect(JSON.stringify(ses[0]?.Resource)).toContain('"/inbound/*"');
    expect(ses[0]?.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });

  it('lets only this account’s receipt rules publish to the inbound topic', () => {
    const topicId = logicalIdOf(synth.stacks.mail.receiving.topic);
    const policies = resourcesOfType(synth.templates.mail, 'AWS::SNS::TopicPolicy').filter(([, p]) =>
      (p.Properties.Topics as unknown[]).some((t) => referencedId(t)?.id === topicId),
    );
    const statements = policies.flatMap(
      ([, p]) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
    const ses = statements.filter((s) => s.Effect === 'Allow');
    expect(ses).toHaveLength(1);
    expect(ses[0]?.Principal).toEqual({ Service: 'ses.amazonaws.com' });
    expect(JSON.stringify(ses[0]?.Condition)).toContain('"AWS:SourceAccount":{"Ref":"AWS::AccountId"}');
    expect(JSON.stringify(ses[0]?.Condition)).toContain(':receipt-rule-set/');
  });
});

describe('sending', () => {
  it('verifies the support domain with 2048-bit Easy DKIM and sends through the configuration set', () => {
    const [, identity] = only('AWS::SES::EmailIdentity');
    const [configurationSetId] = only('AWS::SES::ConfigurationSet');
    expect(identity.Properties.EmailIdentity).toBe('relaydesk.local');
    expect(identity.Properties.DkimAttributes).toEqual({ SigningEnabled: true });
    expect(identity.Properties.DkimSigningAttributes).toEqual({ NextSigningKeyLength: 'RSA_2048_BIT' });
    expect(
      referencedId(
        (identity.Properties.ConfigurationSetAttributes as { ConfigurationSetName: unknown })
          .ConfigurationSetName,
      )?.id,
    ).toBe(configurationSetId);
    expect(identity.Properties.MailFromAttributes).toEqual({
      MailFromDomain: 'bounce.relaydesk.local',
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
  });

  it('sends bounces and complaints (only) to the feedback topic', () => {
    const [configurationSetId] = only('AWS::SES::ConfigurationSet');
    const [, destination] = only('AWS::SES::ConfigurationSetEventDestination');
    expect(referencedId(destination.Properties.ConfigurationSetName)?.id).toBe(configurationSetId);
    const spec = destination.Properties.EventDestination as {
      Enabled: boolean;
      MatchingEventTypes: string[];
      SnsDestination: { TopicARN: unknown };
    };
    expect(spec.Enabled).toBe(true);
    expect([...spec.MatchingEventTypes].sort()).toEqual(['bounce', 'complaint']);
    expect(referencedId(spec.SnsDestination.TopicARN)?.id).toBe(
      logicalIdOf(synth.stacks.mail.sending.feedbackTopic),
    );
  });

  it('outputs the three DKIM CNAMEs, the MX record and the rule set to activate', () => {
    const outputs = synth.templates.mail.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const n of [1, 2, 3]) {
      expect(JSON.stringify(outputs[`DkimRecord${n}`]?.Value)).toContain(`DkimDNSTokenValue${n}`);
    }
    expect(JSON.stringify(outputs.InboundMx?.Value)).toContain('inbound-smtp.');
    expect(referencedId(outputs.ReceiptRuleSetName?.Value)?.id).toBe(only('AWS::SES::ReceiptRuleSet')[0]);
  });
});

const topicOf = (consumer: NotificationConsumer): string =>
  logicalIdOf(
    consumer === mailIngress ? synth.stacks.mail.receiving.topic : synth.stacks.mail.sending.feedbackTopic,
  );

describe.each([
  ['mailIngress', mailIngress],
  ['mailFeedback', mailFeedback],
] as const)('the %s consumer', (_name, consumer) => {
  /** Follows the wiring as SNS and Lambda do: topic → subscription → queue → mapping → function. */
  const wiring = () => {
    const subscriptions = resourcesOfType(synth.templates.mail, 'AWS::SNS::Subscription').filter(
      ([, s]) => referencedId(s.Properties.TopicArn)?.id === topicOf(consumer),
    );
    expect(subscriptions).toHaveLength(1);
    const subscription = (subscriptions[0] as [string, Resource])[1];
    const queueId = referencedId(subscription.Properties.Endpoint)?.id;
    const mappings = resourcesOfType(synth.templates.mail, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => referencedId(m.Properties.EventSourceArn)?.id === queueId,
    );
    expect(mappings).toHaveLength(1);
    const mapping = (mappings[0] as [string, Resource])[1];
    return { subscription, queueId, queue: mailResource(queueId), mapping };
  };

  it('is subscribed to its topic as an SQS queue, keeping the SNS envelope the function parses', () => {
    const { subscription, queue } = wiring();
    expect(subscription.Properties.Protocol).toBe('sqs');
    expect(subscription.Properties.RawMessageDelivery ?? false).toBe(false);
    expect(queue.Type).toBe('AWS::SQS::Queue');
  });

  it('has the declared visibility timeout and a dead-letter queue after maxReceiveCount, with an alarm', () => {
    const { queue } = wiring();
    expect(queue.Properties.VisibilityTimeout).toBe(consumer.visibilityTimeoutSeconds);
    const redrive = queue.Properties.RedrivePolicy as {
      deadLetterTargetArn: unknown;
      maxReceiveCount: number;
    };
    expect(redrive.maxReceiveCount).toBe(consumer.maxReceiveCount);
    const dlqId = referencedId(redrive.deadLetterTargetArn)?.id;
    expect(mailResource(dlqId).Type).toBe('AWS::SQS::Queue');
    const alarms = resourcesOfType(synth.templates.mail, 'AWS::CloudWatch::Alarm').filter(([, alarm]) =>
      JSON.stringify(alarm.Properties.Dimensions).includes(`"${dlqId}"`),
    );
    expect(alarms).toHaveLength(1);
    const alarm = (alarms[0] as [string, Resource])[1].Properties;
    expect(alarm.Threshold).toBe(1);
    expect(resolveImport((alarm.AlarmActions as unknown[])[0], synth.templates.ops)?.id).toBe(
      logicalIdOf(synth.stacks.ops.topic),
    );
  });

  it('feeds the declared function in the declared batches, reporting partial failures', () => {
    const { mapping } = wiring();
    const [functionId, fn] = functionForEntry(synth.templates.mail, consumer.entry);
    expect(referencedId(mapping.Properties.FunctionName)?.id).toBe(functionId);
    expect(mapping.Properties.BatchSize).toBe(consumer.batchSize);
    expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(fn.Properties.Timeout).toBe(consumer.timeoutSeconds);
    expect(consumer.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * Number(fn.Properties.Timeout));
    if (consumer.memoryMb) expect(fn.Properties.MemorySize).toBe(consumer.memoryMb);
  });
});

describe('the supportAddress context', () => {
  it('sets the receiving and sending domain and every function’s SUPPORT_ADDRESS', () => {
    const custom = synthesize({ context: { supportAddress: 'Help@Mail.Example.com' } });
    const [[, rule]] = resourcesOfType(custom.templates.mail, 'AWS::SES::ReceiptRule') as [
      [string, Resource],
    ];
    expect((rule.Properties.Rule as { Recipients: string[] }).Recipients).toEqual(['mail.example.com']);
    const identity = resourcesOfType(custom.templates.mail, 'AWS::SES::EmailIdentity')[0]?.[1];
    expect(identity?.Properties.EmailIdentity).toBe('mail.example.com');
    const functions = custom.resources.filter((r) => r.resource.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const { resource } of functions) {
      const variables = (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables.SUPPORT_ADDRESS).toBe('help@mail.example.com');
    }
  });

  it('refuses anything that is not one plain address on a domain', () => {
    expect(() => synthesize({ context: { supportAddress: 'Support <support@example.com>' } })).toThrow(
      /supportAddress/,
    );
    expect(() => synthesize({ context: { supportAddress: 'support@localhost' } })).toThrow(/supportAddress/);
  });
});

describe('the mail bucket and key are stateful', () => {
  it('are retained with the data stack, and the inbound function reaches them by import', () => {
    const [, inbound] = functionForEntry(synth.templates.mail, mailIngress.entry);
    const variables = (inbound.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(referencedResources(synth, 'mail', variables.BLOB_BUCKET)).toEqual([
      { stack: 'data', id: mailBucketId() },
    ]);
    expect(referencedResources(synth, 'mail', variables.MAIL_SECRET_ARN)).toEqual([
      { stack: 'data', id: logicalIdOf(synth.stacks.data.mailSecret) },
    ]);
  });
});
