/**
 * Builds every Relaydesk stack into an app. The CDK entry (infra/app.ts) and the infra tests both call
 * this, so the tests assert exactly what `cdk deploy` ships.
 *
 * Stacks follow lifecycle: data (tables, bus) and ops (alarm topic) change rarely and hold state or
 * subscriptions; api and events hold only code and wiring and can be redeployed or replaced freely.
 */
import type { App } from 'aws-cdk-lib';
import { ApiStack } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { EventsStack } from './events-stack.ts';
import { OpsStack } from './ops-stack.ts';

export interface RelaydeskStacks {
  data: DataStack;
  ops: OpsStack;
  api: ApiStack;
  events: EventsStack;
}

/**
 * Context values (all optional, `cdk deploy -c key=value`):
 * - `publicUrl`: the URL users reach Relaydesk at (custom domain); without it handlers derive it per request.
 * - `opsEmail`: an address subscribed to the alarm topic.
 * - `stackPrefix`: stack name prefix (default `Relaydesk`), to deploy more than one copy per account.
 */
export const buildApp = (app: App): RelaydeskStacks => {
  const publicUrl = optionalContext(app, 'publicUrl');
  const opsEmail = optionalContext(app, 'opsEmail');
  const prefix = optionalContext(app, 'stackPrefix') ?? 'Relaydesk';

  const data = new DataStack(app, `${prefix}-Data`, {
    description: 'Relaydesk data: tables and event bus',
  });
  const ops = new OpsStack(app, `${prefix}-Ops`, {
    description: 'Relaydesk operations: alarm topic',
    opsEmail,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    description: 'Relaydesk HTTP API and its handlers',
    tables: data.tables,
    publicUrl,
  });
  const events = new EventsStack(app, `${prefix}-Events`, {
    description: 'Relaydesk event path: outbox publisher, consumers, schedules',
    tables: data.tables,
    bus: data.bus,
    opsTopic: ops.topic,
    publicUrl,
  });
  return { data, ops, api, events };
};

const optionalContext = (app: App, key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context value ${key} must be a string`);
  return value;
};
