/**
 * What operators watch: the SLA breach alarm and the operations dashboard. Stateless and read-only
 * towards the other stacks (only the API id is imported), so it can be changed freely.
 */
import { CrossStackReferences, type Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { TicketPriority } from '../../shared/domain/tickets/ticket.ts';
import { OperationsDashboard } from '../constructs/operations-dashboard.ts';
import { SlaBreachAlarm } from '../constructs/sla-breach-alarm.ts';

export interface MonitoringStackProps extends StackProps {
  prefix: string;
  api: HttpApi;
  opsTopic: ITopic;
  slaAlarm: { priority?: TicketPriority; threshold?: number; period?: Duration };
}

export class MonitoringStack extends Stack {
  readonly slaBreachAlarm: SlaBreachAlarm;
  readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.slaBreachAlarm = new SlaBreachAlarm(this, 'SlaBreaches', {
      opsTopic: props.opsTopic,
      ...props.slaAlarm,
    });
    this.dashboard = new OperationsDashboard(this, 'Operations', { prefix: props.prefix, api: props.api });
  }
}
