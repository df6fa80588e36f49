/**
 * The one wiring table. CDK (infra/stacks) and the local runtime (infra/local) both read it, so a
 * route, consumer or schedule that exists in AWS exists locally with the same shape. Pure data: no
 * CDK or AWS SDK import may appear here, because Lambda bundles import it too.
 */
import type { TableName } from '../shared/store/tables.ts';

export type Role = 'admin' | 'agent' | 'end-user';
/** Who may call a route. `anonymous` routes also accept authenticated callers of any role. */
export type Access = readonly Role[] | 'anonymous';

export const STAFF: readonly Role[] = ['admin', 'agent'];
export const ADMIN: readonly Role[] = ['admin'];
export const ANY_USER: readonly Role[] = ['admin', 'agent', 'end-user'];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** API Gateway route-key syntax (`GET /api/v2/tickets/{id}`), also understood by @middy/http-router. */
export type RouteKey = `${HttpMethod} /${string}`;

export interface TableAccess {
  table: TableName;
  mode: 'read' | 'readWrite';
}

export interface FunctionSpec {
  /** Module under functions/, relative to the project root; it exports `handler`. */
  entry: string;
  tables: readonly TableAccess[];
  memoryMb?: number;
  timeoutSeconds?: number;
}

export interface RouteGroup extends FunctionSpec {
  name: string;
  routes: Readonly<Record<RouteKey, Access>>;
}

/** An EventBridge pattern (the subset the local fabric implements: value lists and `prefix`). */
export interface EventPattern {
  source: readonly string[];
  'detail-type': readonly string[];
  detail?: Readonly<Record<string, readonly unknown[]>>;
}

export interface Consumer extends FunctionSpec {
  name: string;
  pattern: EventPattern;
  batchSize: number;
  /** Deliveries before a message moves to the consumer's dead-letter queue. */
  maxReceiveCount: number;
  /** Must be at least six times the function timeout (AWS guidance for SQS event sources). */
  visibilityTimeoutSeconds: number;
}

export interface Schedule extends FunctionSpec {
  name: string;
  /** EventBridge schedule expression: `rate(...)` or `cron(...)`. */
  expression: string;
}

const readWrite = (table: TableName): TableAccess => ({ table, mode: 'readWrite' });
const read = (table: TableName): TableAccess => ({ table, mode: 'read' });

export const TICKET_EVENT_SOURCE = 'relaydesk.tickets';

/** Resolves API tokens and `X-On-Behalf-Of` into the caller identity every route receives. */
export const authorizer: FunctionSpec = {
  entry: 'functions/api/authorizer.ts',
  tables: [read('directory')],
};

/** Turns committed audits (tickets table stream) into events on the bus: the transactional outbox. */
export const streamPublisher: FunctionSpec & { table: TableName } = {
  entry: 'functions/events/publish-ticket-events.ts',
  table: 'tickets',
  tables: [read('tickets')],
};

export const routeGroups: readonly RouteGroup[] = [
  {
    name: 'health',
    entry: 'functions/api/health.ts',
    tables: [],
    routes: { 'GET /healthz': 'anonymous' },
  },
  {
    name: 'api-tokens',
    entry: 'functions/api/api-tokens.ts',
    tables: [readWrite('directory')],
    routes: {
      'GET /api/v2/api_tokens': ADMIN,
      'POST /api/v2/api_tokens': ADMIN,
      'DELETE /api/v2/api_tokens/{id}': ADMIN,
    },
  },
  {
    name: 'users',
    entry: 'functions/api/users.ts',
    tables: [readWrite('directory')],
    routes: {
      'GET /api/v2/users/me': ANY_USER,
      'GET /api/v2/users': STAFF,
      'POST /api/v2/users': STAFF,
      'GET /api/v2/users/search': STAFF,
      'GET /api/v2/users/show_many': STAFF,
      'POST /api/v2/users/create_or_update': STAFF,
      'GET /api/v2/users/{id}': ANY_USER,
      'PUT /api/v2/users/{id}': ANY_USER,
      'DELETE /api/v2/users/{id}': ADMIN,
      'GET /api/v2/organizations/{id}/users': STAFF,
      'GET /api/v2/groups/{id}/users': STAFF,
    },
  },
  {
    name: 'organizations',
    entry: 'functions/api/organizations.ts',
    tables: [readWrite('directory')],
    routes: {
      'GET /api/v2/organizations': STAFF,
      'POST /api/v2/organizations': ADMIN,
      'GET /api/v2/organizations/show_many': STAFF,
      'GET /api/v2/organizations/{id}': STAFF,
      'PUT /api/v2/organizations/{id}': ADMIN,
      'DELETE /api/v2/organizations/{id}': ADMIN,
    },
  },
  {
    name: 'groups',
    entry: 'functions/api/groups.ts',
    tables: [readWrite('directory')],
    routes: {
      'GET /api/v2/groups': STAFF,
      'POST /api/v2/groups': ADMIN,
      'GET /api/v2/groups/assignable': STAFF,
      'GET /api/v2/groups/{id}': STAFF,
      'PUT /api/v2/groups/{id}': ADMIN,
      'DELETE /api/v2/groups/{id}': ADMIN,
      'GET /api/v2/group_memberships': STAFF,
      'POST /api/v2/group_memberships': ADMIN,
      'GET /api/v2/group_memberships/{id}': STAFF,
      'DELETE /api/v2/group_memberships/{id}': ADMIN,
      'GET /api/v2/groups/{id}/memberships': STAFF,
      'GET /api/v2/users/{id}/group_memberships': STAFF,
    },
  },
  {
    name: 'tickets',
    entry: 'functions/api/tickets.ts',
    tables: [readWrite('tickets'), readWrite('directory')],
    routes: {
      'GET /api/v2/tickets': STAFF,
      'POST /api/v2/tickets': STAFF,
      'GET /api/v2/tickets/show_many': STAFF,
      'GET /api/v2/tickets/{id}': STAFF,
      'PUT /api/v2/tickets/{id}': STAFF,
      'DELETE /api/v2/tickets/{id}': STAFF,
      'GET /api/v2/tickets/{id}/comments': STAFF,
      'GET /api/v2/tickets/{id}/audits': STAFF,
      'GET /api/v2/tickets/{id}/tags': STAFF,
      'POST /api/v2/tickets/{id}/tags': STAFF,
      'PUT /api/v2/tickets/{id}/tags': STAFF,
      'DELETE /api/v2/tickets/{id}/tags': STAFF,
      'GET /api/v2/organizations/{id}/tickets': STAFF,
      'GET /api/v2/users/{id}/tickets/requested': STAFF,
      'GET /api/v2/users/{id}/tickets/assigned': STAFF,
      'GET /api/v2/deleted_tickets': STAFF,
    },
  },
  {
    name: 'requests',
    entry: 'functions/api/requests.ts',
    tables: [readWrite('tickets'), readWrite('directory')],
    routes: {
      'GET /api/v2/requests': ANY_USER,
      'POST /api/v2/requests': ANY_USER,
      'GET /api/v2/requests/{id}': ANY_USER,
      'PUT /api/v2/requests/{id}': ANY_USER,
      'GET /api/v2/requests/{id}/comments': ANY_USER,
    },
  },
  {
    name: 'ticket-metrics',
    entry: 'functions/api/ticket-metrics.ts',
    tables: [read('tickets')],
    routes: {
      'GET /api/v2/ticket_metrics': STAFF,
      'GET /api/v2/ticket_metrics/{id}': STAFF,
      'GET /api/v2/tickets/{id}/metrics': STAFF,
    },
  },
];

export const consumers: readonly Consumer[] = [
  {
    name: 'update-ticket-metrics',
    entry: 'functions/events/update-ticket-metrics.ts',
    tables: [readWrite('tickets')],
    pattern: { source: [TICKET_EVENT_SOURCE], 'detail-type': ['ticket.created', 'ticket.updated'] },
    batchSize: 10,
    maxReceiveCount: 5,
    timeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
  },
];

export const schedules: readonly Schedule[] = [
  {
    // Zendesk scrubs soft-deleted tickets after 30 days; so do we.
    name: 'purge-deleted-tickets',
    entry: 'functions/events/purge-deleted-tickets.ts',
    tables: [readWrite('tickets')],
    expression: 'rate(1 day)',
    timeoutSeconds: 300,
  },
];

/** Every function the topology declares, for bundling and size reports. */
export const allFunctions = (): readonly (FunctionSpec & { name: string })[] => [
  { name: 'authorizer', ...authorizer },
  { name: 'stream-publisher', ...streamPublisher },
  ...routeGroups,
  ...consumers,
  ...schedules,
];

/** Splits a route key into method and path. */
export const parseRouteKey = (routeKey: RouteKey): { method: HttpMethod; path: string } => {
  const [method, path] = routeKey.split(' ') as [HttpMethod, string];
  return { method, path };
};
