/**
 * Where operators hear about trouble: the ops topic every alarm notifies. Kept in its own stack so
 * subscriptions survive redeploys of the stacks that raise alarms.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

export interface OpsStackProps extends StackProps {
  /** Optional address subscribed to the topic (it must confirm the subscription mail). */
  opsEmail?: string | undefined;
}

export class OpsStack extends Stack {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: OpsStackProps = {}) {
    super(scope, id, props);
    this.topic = new Topic(this, 'OpsTopic', { displayName: 'Relaydesk operations', enforceSSL: true });
    if (props.opsEmail) this.topic.addSubscription(new EmailSubscription(props.opsEmail));
  }
}
