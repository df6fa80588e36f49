/**
 * Outbound mail: the SES identity of the support domain (Easy DKIM, a custom MAIL FROM subdomain so SPF
 * aligns for DMARC) and the configuration set every send goes through, whose bounce and complaint events
 * go to a topic the feedback consumer reads. The DNS records this needs are stack outputs.
 */
import { Stack } from 'aws-cdk-lib';
import {
  ConfigurationSet,
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  MailFromBehaviorOnMxFailure,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { MailSendingResources } from './relaydesk-function.ts';

export interface MailSendingProps {
  /** The support address's domain: the identity mail is sent from. */
  domain: string;
}

export class MailSending extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  /** SES bounce and complaint events (configuration set event destination). */
  readonly feedbackTopic: Topic;
  /** The MAIL FROM (bounce) domain; its MX and SPF records are part of the DNS set-up. */
  readonly mailFromDomain: string;
  readonly resources: MailSendingResources;

  constructor(scope: Construct, id: string, props: MailSendingProps) {
    super(scope, id);
    this.mailFromDomain = `bounce.${props.domain}`;
    this.feedbackTopic = new Topic(this, 'FeedbackTopic', {
      displayName: 'Relaydesk SES bounces and complaints',
      enforceSSL: true,
    });
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      // The account-level suppression list stops sends SES already knows will bounce or be reported.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // CDK also gives SES a topic policy scoped to this configuration set.
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.feedbackTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.domain),
      dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
      dkimSigning: true,
      // Sends that name no configuration set still report their bounces.
      configurationSet: this.configurationSet,
      mailFromDomain: this.mailFromDomain,
      // Until the MAIL FROM records exist SES falls back to amazonses.com rather than refusing to send.
      mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
    });
    this.resources = {
      identityArn: this.identity.emailIdentityArn,
      configurationSetName: this.configurationSet.configurationSetName,
      configurationSetArn: Stack.of(this).formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: this.configurationSet.configurationSetName,
      }),
    };
  }
}
