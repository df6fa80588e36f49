/**
 * Builds every Relaydesk stack into an app. The CDK entry (infra/app.ts) and the infra tests both call
 * this, so the tests assert exactly what `cdk deploy` ships.
 *
 * Stacks follow lifecycle: data (tables, bus) and ops (alarm topic) change rarely and hold state or
 * subscriptions; api and events hold only code and wiring and can be redeployed or replaced freely.
 */
import type { App } from 'aws-cdk-lib';
import { normalizeAddress } from '../../shared/mail/addresses.ts';
import type { FunctionResources } from '../constructs/relaydesk-function.ts';
import { ApiStack } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { EventsStack } from './events-stack.ts';
import { MailStack } from './mail-stack.ts';
import { OpsStack } from './ops-stack.ts';

export interface RelaydeskStacks {
  data: DataStack;
  ops: OpsStack;
  mail: MailStack;
  api: ApiStack;
  events: EventsStack;
}

export const DEFAULT_SUPPORT_ADDRESS = 'support@relaydesk.local';

/**
 * Context values (all optional, `cdk deploy -c key=value`):
 * - `publicUrl`: the URL users reach Relaydesk at (custom domain); without it handlers derive it per request.
 * - `opsEmail`: an address subscribed to the alarm topic.
 * - `stackPrefix`: stack name prefix (default `Relaydesk`), to deploy more than one copy per account.
 * - `supportAddress`: the address customers write to (default support@relaydesk.local); SES receives
 *   all mail for its domain and sends from it.
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
  return { data, ops, mail, api, events };
};

const optionalContext = (app: App, key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context value ${key} must be a string`);
  return value;
};
