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
  /** Raw mail and attachments: S3 in AWS (BLOB_BUCKET), a folder locally (BLOB_DIR). */
  blobs?: 'read' | 'readWrite';
  /** Sends mail through SES (SendRawEmail with the configuration set). */
  sendsMail?: boolean;
  /** Reads the key that signs our Message-IDs (MAIL_SECRET_ARN in AWS, MAIL_SECRET locally). */
  mailSecret?: boolean;
  /**
   * Creates, moves and deletes one-time timers (EventBridge Scheduler schedules in the timer group,
   * targeting a timer queue): TIMER_SCHEDULE_GROUP, TIMER_ROLE_ARN, and each queue's ARN
   * (TIMER_TARGET_ARN for SLA breach checks, CSAT_TIMER_TARGET_ARN for CSAT surveys).
   */
  timers?: boolean;
}

export interface RouteGroup extends FunctionSpec {
  name: string;
  routes: Readonly<Record<RouteKey, Access>>;
  /** False where Zendesk's own paths take no `.json` suffix (webhooks): no `.json` twin routes. */
  jsonTwins?: boolean;
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

/**
 * Resolves API tokens and `X-On-Behalf-Of` into the caller identity every route receives, and counts
 * the caller's requests against the rate limit (a per-minute counter item in the directory table).
 */
export const authorizer: FunctionSpec = {
  entry: 'functions/api/authorizer.ts',
  tables: [readWrite('directory')],
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
    tables: [readWrite('directory'), read('config')],
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
    tables: [readWrite('directory'), read('config')],
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
    tables: [readWrite('tickets'), readWrite('directory'), read('config')],
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
    tables: [readWrite('tickets'), readWrite('directory'), read('config')],
    routes: {
      'GET /api/v2/requests': ANY_USER,
      'POST /api/v2/requests': ANY_USER,
      'GET /api/v2/requests/{id}': ANY_USER,
      'PUT /api/v2/requests/{id}': ANY_USER,
      'GET /api/v2/requests/{id}/comments': ANY_USER,
    },
  },
  {
    // Custom field and form definitions (ticket, user, organization): the schema of customer segments.
    name: 'fields',
    entry: 'functions/api/fields.ts',
    tables: [readWrite('config')],
    routes: {
      'GET /api/v2/ticket_fields': ANY_USER,
      'POST /api/v2/ticket_fields': ADMIN,
      'GET /api/v2/ticket_fields/{id}': ANY_USER,
      'PUT /api/v2/ticket_fields/{id}': ADMIN,
      'DELETE /api/v2/ticket_fields/{id}': ADMIN,
      'GET /api/v2/ticket_fields/{id}/options': ANY_USER,
      'POST /api/v2/ticket_fields/{id}/options': ADMIN,
      'GET /api/v2/ticket_forms': ANY_USER,
      'POST /api/v2/ticket_forms': ADMIN,
      'GET /api/v2/ticket_forms/{id}': ANY_USER,
      'PUT /api/v2/ticket_forms/{id}': ADMIN,
      'DELETE /api/v2/ticket_forms/{id}': ADMIN,
      'GET /api/v2/user_fields': STAFF,
      'POST /api/v2/user_fields': ADMIN,
      'GET /api/v2/user_fields/{id}': STAFF,
      'PUT /api/v2/user_fields/{id}': ADMIN,
      'DELETE /api/v2/user_fields/{id}': ADMIN,
      'GET /api/v2/organization_fields': STAFF,
      'POST /api/v2/organization_fields': ADMIN,
      'GET /api/v2/organization_fields/{id}': STAFF,
      'PUT /api/v2/organization_fields/{id}': ADMIN,
      'DELETE /api/v2/organization_fields/{id}': ADMIN,
    },
  },
  {
    // Trigger and automation definitions; the rule engine that runs them lives in shared/domain/rules.
    name: 'rules',
    entry: 'functions/api/rules.ts',
    tables: [readWrite('config')],
    routes: {
      'GET /api/v2/triggers': STAFF,
      'POST /api/v2/triggers': ADMIN,
      'GET /api/v2/triggers/active': STAFF,
      'GET /api/v2/triggers/definitions': STAFF,
      'PUT /api/v2/triggers/reorder': ADMIN,
      'GET /api/v2/triggers/{id}': STAFF,
      'PUT /api/v2/triggers/{id}': ADMIN,
      'DELETE /api/v2/triggers/{id}': ADMIN,
      'GET /api/v2/automations': STAFF,
      'POST /api/v2/automations': ADMIN,
      'GET /api/v2/automations/active': STAFF,
      'PUT /api/v2/automations/reorder': ADMIN,
      'GET /api/v2/automations/{id}': STAFF,
      'PUT /api/v2/automations/{id}': ADMIN,
      'DELETE /api/v2/automations/{id}': ADMIN,
    },
  },
  {
    // Macros: agents see shared, group and personal macros and manage their personal ones (the use
    // case checks it); apply reads the ticket and people, and never writes the ticket.
    name: 'macros',
    entry: 'functions/api/macros.ts',
    tables: [readWrite('config'), read('tickets'), read('directory')],
    routes: {
      'GET /api/v2/macros': STAFF,
      'POST /api/v2/macros': STAFF,
      'GET /api/v2/macros/active': STAFF,
      'GET /api/v2/macros/search': STAFF,
      'PUT /api/v2/macros/update_many': STAFF,
      'GET /api/v2/macros/{id}': STAFF,
      'PUT /api/v2/macros/{id}': STAFF,
      'DELETE /api/v2/macros/{id}': STAFF,
      'GET /api/v2/macros/{id}/apply': STAFF,
      'GET /api/v2/tickets/{ticket_id}/macros/{id}/apply': STAFF,
    },
  },
  {
    // Views: saved ticket queries. Execution reads tickets through index partitions only (see
    // shared/domain/views/view-query-plan.ts); restriction checks read group memberships.
    name: 'views',
    entry: 'functions/api/views.ts',
    tables: [read('tickets'), read('directory'), readWrite('config')],
    routes: {
      'GET /api/v2/views': STAFF,
      'POST /api/v2/views': ADMIN,
      'GET /api/v2/views/active': STAFF,
      'GET /api/v2/views/compact': STAFF,
      'PUT /api/v2/views/reorder': ADMIN,
      'GET /api/v2/views/count_many': STAFF,
      'GET /api/v2/views/{id}': STAFF,
      'PUT /api/v2/views/{id}': ADMIN,
      'DELETE /api/v2/views/{id}': ADMIN,
      'GET /api/v2/views/{id}/execute': STAFF,
      'GET /api/v2/views/{id}/tickets': STAFF,
      'GET /api/v2/views/{id}/count': STAFF,
    },
  },
  {
    // Webhook definitions and their invocation history; delivery is the deliver-webhooks consumer.
    // `webhooks/test` sends one request (10 s send timeout), hence the longer function timeout
    // (still under API Gateway's 30 s).
    name: 'webhooks',
    entry: 'functions/api/webhooks.ts',
    tables: [readWrite('config')],
    timeoutSeconds: 20,
    jsonTwins: false,
    routes: {
      'GET /api/v2/webhooks': ADMIN,
      'POST /api/v2/webhooks': ADMIN,
      'POST /api/v2/webhooks/test': ADMIN,
      'GET /api/v2/webhooks/{id}': ADMIN,
      'PUT /api/v2/webhooks/{id}': ADMIN,
      'PATCH /api/v2/webhooks/{id}': ADMIN,
      'DELETE /api/v2/webhooks/{id}': ADMIN,
      'GET /api/v2/webhooks/{id}/signing_secret': ADMIN,
      'POST /api/v2/webhooks/{id}/signing_secret': ADMIN,
      'GET /api/v2/webhooks/{id}/invocations': ADMIN,
      'GET /api/v2/webhooks/{id}/invocations/{invocation_id}/attempts': ADMIN,
    },
  },
  {
    name: 'suspended-tickets',
    entry: 'functions/api/suspended-tickets.ts',
    // Recovered mail opens tickets, which get the default ticket form (config table).
    tables: [readWrite('tickets'), readWrite('directory'), read('config')],
    blobs: 'readWrite',
    mailSecret: true,
    routes: {
      'GET /api/v2/suspended_tickets': STAFF,
      'GET /api/v2/suspended_tickets/{id}': STAFF,
      'PUT /api/v2/suspended_tickets/{id}/recover': STAFF,
      'DELETE /api/v2/suspended_tickets/{id}': STAFF,
    },
  },
  {
    // Attachment bytes and raw mail are served only to people who may see the comment they belong to.
    name: 'attachments',
    entry: 'functions/api/attachments.ts',
    tables: [read('tickets'), read('directory')],
    blobs: 'read',
    routes: {
      'GET /api/v2/attachments/{id}': ANY_USER,
      'GET /api/v2/attachments/{id}/content': ANY_USER,
      'GET /api/v2/tickets/{ticket_id}/comments/{id}/original_email': STAFF,
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
  {
    // Business-hours schedules, holidays, and which groups and organizations run on each schedule.
    name: 'business-hours',
    entry: 'functions/api/business-hours.ts',
    tables: [readWrite('config'), read('directory')],
    routes: {
      'GET /api/v2/business_hours/schedules': STAFF,
      'POST /api/v2/business_hours/schedules': ADMIN,
      'GET /api/v2/business_hours/schedules/{id}': STAFF,
      'PUT /api/v2/business_hours/schedules/{id}': ADMIN,
      'DELETE /api/v2/business_hours/schedules/{id}': ADMIN,
      'PUT /api/v2/business_hours/schedules/{id}/workweek': ADMIN,
      'GET /api/v2/business_hours/schedules/{id}/holidays': STAFF,
      'POST /api/v2/business_hours/schedules/{id}/holidays': ADMIN,
      'GET /api/v2/business_hours/schedules/{id}/holidays/{holiday_id}': STAFF,
      'PUT /api/v2/business_hours/schedules/{id}/holidays/{holiday_id}': ADMIN,
      'DELETE /api/v2/business_hours/schedules/{id}/holidays/{holiday_id}': ADMIN,
      'GET /api/v2/business_hours/schedules/{id}/assignments': STAFF,
      'PUT /api/v2/business_hours/schedules/{id}/assignments': ADMIN,
    },
  },
  {
    // SLA policy definitions, and the export of the metric events the SLA clocks record on tickets.
    name: 'slas',
    entry: 'functions/api/slas.ts',
    tables: [readWrite('config'), read('tickets')],
    routes: {
      'GET /api/v2/slas/policies': STAFF,
      'POST /api/v2/slas/policies': ADMIN,
      'GET /api/v2/slas/policies/definitions': STAFF,
      'PUT /api/v2/slas/policies/reorder': ADMIN,
      'GET /api/v2/slas/policies/{id}': STAFF,
      'PUT /api/v2/slas/policies/{id}': ADMIN,
      'DELETE /api/v2/slas/policies/{id}': ADMIN,
      'GET /api/v2/incremental/ticket_metric_events': ADMIN,
    },
  },
  {
    // CSAT (zendesk-api.md §7): ratings, reasons, the requester's own rating, and our summary.
    name: 'satisfaction-ratings',
    entry: 'functions/api/satisfaction-ratings.ts',
    tables: [readWrite('tickets')],
    routes: {
      'GET /api/v2/satisfaction_ratings': ADMIN,
      'GET /api/v2/satisfaction_ratings/summary': ADMIN,
      'GET /api/v2/satisfaction_ratings/{id}': ADMIN,
      'GET /api/v2/satisfaction_reasons': ADMIN,
      'POST /api/v2/tickets/{id}/satisfaction_rating': ['end-user'],
    },
  },
  {
    // Pages that survey links open (HTML): the signed token in the path is the capability, so they
    // are anonymous; they verify tokens with the mail secret. CSAT now, NPS joins this group.
    name: 'surveys',
    entry: 'functions/api/surveys.ts',
    // NPS answers snapshot the person's user and organization fields (directory) and read the NPS
    // settings; a detractor follow-up ticket gets the default ticket form (config).
    tables: [readWrite('tickets'), read('directory'), read('config')],
    mailSecret: true,
    jsonTwins: false,
    routes: {
      'GET /surveys/csat/{token}': 'anonymous',
      'POST /surveys/csat/{token}': 'anonymous',
      'GET /surveys/nps/{token}': 'anonymous',
      'POST /surveys/nps/{token}': 'anonymous',
      'GET /surveys/nps/{token}/unsubscribe': 'anonymous',
      'POST /surveys/nps/{token}/unsubscribe': 'anonymous',
    },
  },
  {
    // NPS results and settings: our extension (Zendesk removed native NPS); responses are read by time.
    name: 'nps',
    entry: 'functions/api/nps.ts',
    tables: [read('tickets'), readWrite('config')],
    routes: {
      'GET /api/v2/nps/summary': ADMIN,
      'GET /api/v2/nps/responses': ADMIN,
      'GET /api/v2/nps/responses/{id}': ADMIN,
      'GET /api/v2/nps/settings': ADMIN,
      'PUT /api/v2/nps/settings': ADMIN,
    },
  },
];

/** A queue fed by an SNS topic rather than by a bus rule (SES receipt and feedback notifications). */
export interface NotificationConsumer extends FunctionSpec {
  name: string;
  batchSize: number;
  maxReceiveCount: number;
  visibilityTimeoutSeconds: number;
  /** At most this many concurrent invocations drain the queue (SQS event source maxConcurrency, 2–1000). */
  maxConcurrency?: number;
}

/**
 * Mail ingress: SES receipt rule → raw MIME in S3 + notification (SNS) → this queue → the inbound
 * function. Locally the SMTP listener stores the raw mail and enqueues the same notification.
 */
export const mailIngress: NotificationConsumer = {
  name: 'receive-inbound-mail',
  entry: 'functions/mail/receive-inbound-mail.ts',
  // Tickets opened by mail get the default ticket form (config table).
  tables: [readWrite('tickets'), readWrite('directory'), read('config')],
  blobs: 'readWrite',
  mailSecret: true,
  batchSize: 5,
  maxReceiveCount: 5,
  memoryMb: 1024,
  timeoutSeconds: 60,
  visibilityTimeoutSeconds: 360,
};

/** SES bounce and complaint notifications (configuration set → SNS → this queue). */
export const mailFeedback: NotificationConsumer = {
  name: 'record-mail-feedback',
  entry: 'functions/mail/record-mail-feedback.ts',
  tables: [readWrite('tickets'), readWrite('directory')],
  batchSize: 10,
  maxReceiveCount: 5,
  timeoutSeconds: 30,
  visibilityTimeoutSeconds: 180,
};

/** A queue fed by one-time timers (Scheduler schedules that send to it) rather than by the bus. */
export type TimerConsumer = NotificationConsumer;

/**
 * SLA breach checks: each running SLA clock's timer fires at its breach instant onto this queue;
 * the handler re-reads the ticket's clocks and reports what breached. It syncs timers too.
 */
export const slaTimerChecks: TimerConsumer = {
  name: 'check-sla-breach',
  entry: 'functions/events/check-sla-breach.ts',
  tables: [readWrite('tickets'), read('directory'), read('config')],
  timers: true,
  batchSize: 10,
  maxReceiveCount: 5,
  timeoutSeconds: 30,
  visibilityTimeoutSeconds: 180,
};

/**
 * CSAT surveys: each solve's timer fires onto this queue at solve + delay; the handler re-checks the
 * ticket and mails the survey. Its own queue (not the SLA one) so survey mail has its own concurrency
 * cap under SES's sending rate, and many receives: SES throttling retries with backoff, never drops.
 */
export const csatSurveyMail: TimerConsumer = {
  name: 'send-csat-surveys',
  entry: 'functions/events/send-csat-surveys.ts',
  tables: [readWrite('tickets'), readWrite('directory')],
  sendsMail: true,
  mailSecret: true,
  batchSize: 5,
  // Two invocations of five mails at a time bound the bursts SES sees; throttling beyond that backs off.
  maxConcurrency: 2,
  maxReceiveCount: 20,
  timeoutSeconds: 30,
  visibilityTimeoutSeconds: 180,
};

export const consumers: readonly Consumer[] = [
  {
    name: 'update-ticket-metrics',
    entry: 'functions/events/update-ticket-metrics.ts',
    // Business minutes count in the ticket's schedule (config table); reply authors' roles and the
    // escalation metric's group names come from the directory.
    tables: [readWrite('tickets'), read('config'), read('directory')],
    pattern: { source: [TICKET_EVENT_SOURCE], 'detail-type': ['ticket.created', 'ticket.updated'] },
    batchSize: 10,
    maxReceiveCount: 5,
    timeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
  },
  {
    // SLA clocks per ticket, recomputed from its audits; breach timers follow the running clocks.
    name: 'update-ticket-slas',
    entry: 'functions/events/update-ticket-slas.ts',
    tables: [readWrite('tickets'), read('directory'), read('config')],
    timers: true,
    pattern: { source: [TICKET_EVENT_SOURCE], 'detail-type': ['ticket.created', 'ticket.updated'] },
    batchSize: 10,
    maxReceiveCount: 5,
    timeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
  },
  {
    // Zendesk's trigger cycle after every create and update; a rule's own audit starts none.
    name: 'apply-triggers',
    entry: 'functions/events/apply-triggers.ts',
    tables: [readWrite('tickets'), read('directory'), read('config')],
    pattern: { source: [TICKET_EVENT_SOURCE], 'detail-type': ['ticket.created', 'ticket.updated'] },
    batchSize: 10,
    maxReceiveCount: 5,
    timeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
  },
  {
    // The mail rules ask for: notifications, and public comments through the default trigger that
    // notifies the requester and CCs (as in Zendesk, deactivating it stops comment mail).
    name: 'send-notification-mail',
    entry: 'functions/events/send-notification-mail.ts',
    tables: [readWrite('tickets'), readWrite('directory')],
    sendsMail: true,
    mailSecret: true,
    pattern: { source: [TICKET_EVENT_SOURCE], 'detail-type': ['notification.requested'] },
    batchSize: 10,
    maxReceiveCount: 5,
    timeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
  },
  {
    // CSAT survey timers follow solves: put at solve + delay, deleted on reopen (CSAT_TIMER_TARGET_ARN).
    name: 'schedule-csat-surveys',
    entry: 'functions/events/schedule-csat-surveys.ts',
    tables: [readWrite('tickets')],
    timers: true,
    pattern: { source: [TICKET_EVENT_SOURCE], 'detail-type': ['ticket.created', 'ticket.updated'] },
    batchSize: 10,
    maxReceiveCount: 5,
    timeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
  },
  {
    // Rule-triggered webhook calls, signed and sent to checked addresses only. A retryable failure
    // asks SQS for an exponential backoff (ChangeMessageVisibility); the queue's own visibility
    // timeout is the retry delay where that is unavailable (the local fabric). Retries are bounded
    // by the delivery policy (8 attempts); the two spare receives cover our own transient failures.
    name: 'deliver-webhooks',
    entry: 'functions/events/deliver-webhooks.ts',
    tables: [read('tickets'), readWrite('config')],
    pattern: { source: [TICKET_EVENT_SOURCE], 'detail-type': ['webhook.requested'] },
    batchSize: 5,
    maxReceiveCount: 10,
    timeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
  },
  {
    // Who interacted lately, for the NPS selection: a per-person item on a kind + time index.
    name: 'record-nps-interactions',
    entry: 'functions/events/record-nps-interactions.ts',
    tables: [readWrite('tickets'), read('directory')],
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
  {
    // Zendesk's automations: time-based rules, swept hourly over the tickets they may match. It ticks
    // every 5 minutes so an hour's run too big for one invocation goes on from its checkpoint.
    name: 'run-automations',
    entry: 'functions/events/run-automations.ts',
    tables: [readWrite('tickets'), read('directory'), read('config')],
    expression: 'rate(5 minutes)',
    timeoutSeconds: 300,
  },
  {
    // NPS on a cadence, not after events: the day's sample of recent, not recently surveyed people,
    // queued as surveys (read through indexes; see shared/use-cases/nps/select-nps-recipients.ts).
    name: 'send-nps-surveys',
    entry: 'functions/events/send-nps-surveys.ts',
    tables: [readWrite('tickets'), read('directory'), read('config')],
    expression: 'rate(1 day)',
    memoryMb: 1024,
    timeoutSeconds: 300,
  },
  {
    // Drains the NPS send queue a few mails at a time, backing off when SES throttles; each survey is
    // leased, so overlapping runs never mail one twice.
    name: 'deliver-nps-surveys',
    entry: 'functions/events/deliver-nps-surveys.ts',
    tables: [readWrite('tickets'), read('directory')],
    sendsMail: true,
    mailSecret: true,
    expression: 'rate(5 minutes)',
    timeoutSeconds: 240,
  },
];

/** Every function the topology declares, for bundling and size reports. */
export const allFunctions = (): readonly (FunctionSpec & { name: string })[] => [
  { name: 'authorizer', ...authorizer },
  { name: 'stream-publisher', ...streamPublisher },
  ...routeGroups,
  mailIngress,
  mailFeedback,
  slaTimerChecks,
  csatSurveyMail,
  ...consumers,
  ...schedules,
];

/** Splits a route key into method and path. */
export const parseRouteKey = (routeKey: RouteKey): { method: HttpMethod; path: string } => {
  const [method, path] = routeKey.split(' ') as [HttpMethod, string];
  return { method, path };
};
