/**
 * Inbound mail: a receipt rule set whose rule takes every mail for the support domain, scans it (the
 * spam, virus, SPF, DKIM and DMARC verdicts the inbound function trusts), writes the raw MIME to the mail
 * bucket under `inbound/` and notifies a topic the inbound consumer's queue subscribes to. CloudFormation
 * cannot activate a rule set; the operator does that once (see the README).
 */
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { type ReceiptRule, ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { S3 } from 'aws-cdk-lib/aws-ses-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Where SES writes raw inbound mail; the bucket's lifecycle rule for raw mail matches this prefix. */
export const INBOUND_MAIL_PREFIX = 'inbound/';

export interface MailReceivingProps {
  /** Every address at this domain is received; the inbound function decides what is ours. */
  domain: string;
  bucket: IBucket;
}

export class MailReceiving extends Construct {
  readonly ruleSet: ReceiptRuleSet;
  readonly rule: ReceiptRule;
  /** One notification per received mail, naming the S3 object that holds it. */
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: MailReceivingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new Topic(this, 'InboundTopic', {
      displayName: 'Relaydesk inbound mail',
      enforceSSL: true,
    });
    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet');
    // Only this account's rule set may publish; the rule set is not active until the operator says so.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'AWS:SourceAccount': stack.account },
          ArnLike: {
            'AWS:SourceArn': stack.formatArn({
              service: 'ses',
              resource: 'receipt-rule-set',
              resourceName: `${this.ruleSet.receiptRuleSetName}:receipt-rule/*`,
            }),
          },
        },
      }),
    );
    // The S3 action adds the bucket policy statement for SES (s3:PutObject under the prefix, this
    // account only) and makes the rule wait for it: SES tests its access when the rule is created.
    this.rule = this.ruleSet.addRule('SupportMail', {
      recipients: [props.domain],
      scanEnabled: true,
      tlsPolicy: TlsPolicy.OPTIONAL,
      actions: [new S3({ bucket: props.bucket, objectKeyPrefix: INBOUND_MAIL_PREFIX, topic: this.topic })],
    });
  }
}
