/**
 * The mail channel's stateless part: SES sending (identity, configuration set, feedback topic → the
 * feedback consumer) and receiving (receipt rule set → raw mail in the data stack's bucket + topic → the
 * inbound consumer). The bucket and the Message-ID key live in the data stack.
 */
import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { MailReceiving } from '../constructs/mail-receiving.ts';
import { MailSending } from '../constructs/mail-sending.ts';
import { NotificationConsumer } from '../constructs/notification-consumer.ts';
import type { FunctionResources } from '../constructs/relaydesk-function.ts';
import { mailFeedback, mailIngress } from '../topology.ts';

export interface MailStackProps extends StackProps {
  /** Everything but the sending identity, which this stack creates. */
  resources: Omit<FunctionResources, 'mailSending'>;
  opsTopic: ITopic;
}

/** `support@help.example.com` → `help.example.com`. */
export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

export class MailStack extends Stack {
  readonly sending: MailSending;
  readonly receiving: MailReceiving;
  readonly inbound: NotificationConsumer;
  readonly feedback: NotificationConsumer;

  constructor(scope: Construct, id: string, props: MailStackProps) {
    super(scope, id, props);
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const domain = domainOf(props.resources.supportAddress);

    this.sending = new MailSending(this, 'Sending', { domain });
    this.receiving = new MailReceiving(this, 'Receiving', { domain, bucket: props.resources.mailBucket });
    const resources: FunctionResources = { ...props.resources, mailSending: this.sending.resources };
    this.inbound = new NotificationConsumer(this, 'InboundMail', {
      consumer: mailIngress,
      topic: this.receiving.topic,
      resources,
      opsTopic: props.opsTopic,
    });
    this.feedback = new NotificationConsumer(this, 'MailFeedback', {
      consumer: mailFeedback,
      topic: this.sending.feedbackTopic,
      resources,
      opsTopic: props.opsTopic,
    });

    // What the operator puts in DNS and runs once (README: "Mail in AWS").
    new CfnOutput(this, 'ReceiptRuleSetName', {
      value: this.receiving.ruleSet.receiptRuleSetName,
      description: 'Activate once: aws ses set-active-receipt-rule-set --rule-set-name <this>',
    });
    new CfnOutput(this, 'InboundMx', {
      value: `${domain} MX 10 inbound-smtp.${this.region}.amazonaws.com`,
      description: 'MX record that routes support mail to SES',
    });
    this.sending.identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DKIM CNAME ${index + 1} of 3 for ${domain}`,
      });
    });
    new CfnOutput(this, 'MailFromRecords', {
      value: `${this.sending.mailFromDomain} MX 10 feedback-smtp.${this.region}.amazonses.com; ${this.sending.mailFromDomain} TXT "v=spf1 include:amazonses.com ~all"`,
      description: 'MAIL FROM domain records (bounces, SPF alignment)',
    });
    new CfnOutput(this, 'ConfigurationSetName', {
      value: this.sending.configurationSet.configurationSetName,
    });
  }
}
