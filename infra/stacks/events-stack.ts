/**
 * The event path: the outbox publisher on the tickets stream, one queue-backed consumer per topology
 * consumer, and the scheduled jobs. Everything here is stateless except what the DLQs hold.
 */
import { CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { constructId } from '../constructs/construct-id.ts';
import { EventConsumer } from '../constructs/event-consumer.ts';
import { OneTimeTimers } from '../constructs/one-time-timers.ts';
import type { FunctionResources } from '../constructs/relaydesk-function.ts';
import { ScheduledJob } from '../constructs/scheduled-job.ts';
import { TicketEventOutbox } from '../constructs/ticket-event-outbox.ts';
import { consumers, csatSurveyMail, schedules, slaTimerChecks, streamPublisher } from '../topology.ts';

export interface EventsStackProps extends StackProps {
  resources: FunctionResources;
  bus: IEventBus;
  opsTopic: ITopic;
}

export class EventsStack extends Stack {
  readonly outbox: TicketEventOutbox;
  readonly consumers: ReadonlyMap<string, EventConsumer>;
  readonly scheduledJobs: ReadonlyMap<string, ScheduledJob>;
  readonly timers: OneTimeTimers;

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    // Imports (not weak stack-output reads) keep the data and ops stacks from being deleted while
    // this stack still points at their tables, bus and topic.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { bus, opsTopic } = props;
    // First: the timer group, queues and role exist before the functions that keep timers are given them.
    // The variables match the local runtime's (infra/local/runtime.ts).
    this.timers = new OneTimeTimers(this, 'Timers', {
      targets: [
        { consumer: slaTimerChecks, purpose: 'SLA breach timers', targetArnVariable: 'TIMER_TARGET_ARN' },
        {
          consumer: csatSurveyMail,
          purpose: 'CSAT survey timers',
          targetArnVariable: 'CSAT_TIMER_TARGET_ARN',
        },
      ],
      resources: props.resources,
      opsTopic,
    });
    const resources = { ...props.resources, timers: this.timers.timers };

    this.outbox = new TicketEventOutbox(this, 'TicketEventOutbox', {
      publisher: streamPublisher,
      resources,
      bus,
      opsTopic,
    });
    this.consumers = new Map(
      consumers.map((consumer) => [
        consumer.name,
        new EventConsumer(this, `${constructId(consumer.name)}Consumer`, {
          consumer,
          bus,
          resources,
          opsTopic,
        }),
      ]),
    );
    this.scheduledJobs = new Map(
      schedules.map((schedule) => [
        schedule.name,
        new ScheduledJob(this, `${constructId(schedule.name)}Job`, { schedule, resources, opsTopic }),
      ]),
    );
  }
}
