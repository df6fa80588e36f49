/**
 * Builds every Relaydesk stack into an app. The CDK entry (infra/app.ts) and the infra tests both call
 * this, so the tests assert exactly what `cdk deploy` ships.
 *
 * Stacks follow lifecycle: data (tables, bus) and ops (alarm topic) change rarely and hold state or
 * subscriptions; api and events hold only code and wiring and can be redeployed or replaced freely.
 */
import { type App, Duration } from 'aws-cdk-lib';
import { TICKET_PRIORITIES, type TicketPriority } from '../../shared/domain/tickets/ticket.ts';
import { normalizeAddress } from '../../shared/mail/addresses.ts';
import type { FunctionResources } from '../constructs/relaydesk-function.ts';
import { ApiStack } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { EventsStack } from './events-stack.ts';
import { MailStack } from './mail-stack.ts';
import { MonitoringStack } from './monitoring-stack.ts';
import { OpsStack } from './ops-stack.ts';

export interface RelaydeskStacks {
  data: DataStack;
  ops: OpsStack;
  mail: MailStack;
  api: ApiStack;
  events: EventsStack;
  monitoring: MonitoringStack;
}

export const DEFAULT_SUPPORT_ADDRESS = 'support@relaydesk.local';

/**
 * Context values (all optional, `cdk deploy -c key=value`):
 * - `publicUrl`: the URL users reach Relaydesk at (custom domain); without it handlers derive it per request.
 * - `opsEmail`: an address subscribed to the alarm topic.
 * - `stackPrefix`: stack name prefix (default `Relaydesk`), to deploy more than one copy per account.
 * - `supportAddress`: the address customers write to (default support@relaydesk.local); SES receives
 *   all mail for its domain and sends from it.
 * - `slaAlarmPriority` (default urgent), `slaAlarmThreshold` (default 1) and `slaAlarmPeriodMinutes`
 *   (default 1): the SLA breach alarm fires on that many breaches of that priority's tickets per period.
 */
export const buildApp = (app: App): RelaydeskStacks => {
  const publicUrl = optionalContext(app, 'publicUrl');
  const opsEmail = optionalContext(app, 'opsEmail');
  const prefix = optionalContext(app, 'stackPrefix') ?? 'Relaydesk';
  const rawSupportAddress = optionalContext(app, 'supportAddress') ?? DEFAULT_SUPPORT_ADDRESS;
  const supportAddress = normalizeAddress(rawSupportAddress);
  if (!supportAddress?.includes('.')) {
    throw new Error(
      `context value supportAddress must be a plain address on a domain, not ${rawSupportAddress}`,
    );
  }

  const data = new DataStack(app, `${prefix}-Data`, {
    description: 'Relaydesk data: tables, event bus, mail bucket and Message-ID key',
  });
  const ops = new OpsStack(app, `${prefix}-Ops`, {
    description: 'Relaydesk operations: alarm topic',
    opsEmail,
  });
  const resources: FunctionResources = {
    tables: data.tables,
    mailBucket: data.mailBucket,
    mailSecret: data.mailSecret,
    supportAddress,
    publicUrl,
  };
  const mail = new MailStack(app, `${prefix}-Mail`, {
    description: 'Relaydesk mail: SES receiving and sending, inbound and feedback consumers',
    resources,
    opsTopic: ops.topic,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    description: 'Relaydesk HTTP API and its handlers',
    resources,
  });
  const events = new EventsStack(app, `${prefix}-Events`, {
    description: 'Relaydesk event path: outbox publisher, consumers, schedules',
    resources: { ...resources, mailSending: mail.sending.resources },
    bus: data.bus,
    opsTopic: ops.topic,
  });
  const monitoring = new MonitoringStack(app, `${prefix}-Monitoring`, {
    description: 'Relaydesk monitoring: SLA breach alarm, operations dashboard',
    prefix,
    api: api.httpApi.api,
    opsTopic: ops.topic,
    slaAlarm: slaAlarmContext(app),
  });
  return { data, ops, mail, api, events, monitoring };
};

const slaAlarmContext = (app: App): { priority?: TicketPriority; threshold?: number; period?: Duration } => {
  const priority = optionalContext(app, 'slaAlarmPriority');
  if (priority !== undefined && !(TICKET_PRIORITIES as readonly string[]).includes(priority)) {
    throw new Error(`context value slaAlarmPriority must be one of ${TICKET_PRIORITIES.join(', ')}`);
  }
  const threshold = positiveIntegerContext(app, 'slaAlarmThreshold');
  const periodMinutes = positiveIntegerContext(app, 'slaAlarmPeriodMinutes');
  return {
    ...(priority ? { priority: priority as TicketPriority } : {}),
    ...(threshold ? { threshold } : {}),
    ...(periodMinutes ? { period: Duration.minutes(periodMinutes) } : {}),
  };
};

const positiveIntegerContext = (app: App, key: string): number | undefined => {
  const value = optionalContext(app, key);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`context value ${key} must be a whole number ≥ 1`);
  return number;
};

const optionalContext = (app: App, key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context value ${key} must be a string`);
  return value;
};
