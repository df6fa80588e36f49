/**
 * The local runtime behind `npm start`, as a function the CLI, the end-to-end tests and the benchmark all
 * call: DynamoDB Local, the local SES, the scheduler, the event fabric, the SMTP listener, the stream
 * poller and the HTTP adapter, started in that order on 127.0.0.1 and stopped in reverse. A failed start stops whatever it
 * had already started, so nothing is left running.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { nowMs } from '../../shared/domain/clock.ts';
import type { EventBus } from '../../shared/events/event-bus.ts';
import { FolderBlobStore } from '../../shared/runtime/blob-store.ts';
import {
  authorizer,
  consumers,
  csatSurveyMail,
  mailFeedback,
  mailIngress,
  routeGroups,
  schedules,
  slaTimerChecks,
  streamPublisher,
} from '../topology.ts';
import type { RuntimeConfig } from './config.ts';
import { createTables, physicalNames } from './create-tables.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { EventFabric } from './event-fabric.ts';
import { enforceFunctionGrants, runWithGrants } from './function-grants.ts';
import { createModuleLoader, exportedFunction } from './function-modules.ts';
import { createRequestListener, listenOnLoopback } from './http-adapter.ts';
import { LOCAL_ACCOUNT, LOCAL_EVENT_BUS, LOCAL_REGION } from './local-aws.ts';
import { LocalClock } from './local-clock.ts';
import { createLocalMailReceipt } from './local-mail-receipt.ts';
import { loadOrCreateMailSecret } from './mail-secret-file.ts';
import { assertPortFree } from './ports.ts';
import { RouteTable } from './route-table.ts';
import { forbidScans } from './scan-guard.ts';
import { Scheduler } from './scheduler.ts';
import { localQueueArn, localQueueConsumer, SchedulerLocal } from './scheduler-local.ts';
import { startSesLocal } from './ses-local.ts';
import { startSmtpListener } from './smtp-listener.ts';
import { type StreamHandler, StreamPoller } from './stream-poller.ts';

/** Physical tables are `relaydesk-<table>` in the local database. */
export const LOCAL_TABLE_PREFIX = 'relaydesk';

export interface RelaydeskRuntime {
  publicUrl: string;
  apiUrl: string;
  mailViewerUrl: string;
  /** Inbound mail: `host:port` of the SMTP listener, and the address it takes mail for. */
  smtpAddress: string;
  supportAddress: string;
  dataDir: string;
  adminEmail: string;
  /** The admin's API token, on first start only (it is stored hashed). */
  adminToken: string | undefined;
  firstStart: boolean;
  /** Stops everything and waits for DynamoDB Local to exit; safe to call more than once. */
  stop(): Promise<void>;
}

type SeedAccount = (input: {
  adminEmail: string;
  adminToken?: string;
}) => Promise<{ firstStart: boolean; adminEmail: string; adminToken?: string }>;
type CreateStreamHandler = (dependencies: { bus: EventBus }) => StreamHandler;

const grantedStreamHandler =
  (handler: StreamHandler): StreamHandler =>
  (event) =>
    runWithGrants('relaydesk-stream-publisher', streamPublisher, () => handler(event));

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const HEALTH_DEADLINE_MS = 30_000;

/** Raw mail and attachments (S3 in AWS). */
export const blobDir = (config: RuntimeConfig): string => join(config.dataDir, 'blobs');

/**
 * The environment the function modules read (at import time, so it is set before any of them loads).
 * Every endpoint is known from the configured ports before its server starts.
 */
export const functionEnvironment = (
  config: RuntimeConfig,
  { mailSecret }: { mailSecret: string },
): Record<string, string> => {
  const sesEndpoint = `http://127.0.0.1:${config.sesPort}`;
  return {
    ...physicalNames(LOCAL_TABLE_PREFIX),
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${config.dynamoDbPort}`,
    AWS_ENDPOINT_URL_SES: sesEndpoint,
    AWS_ENDPOINT_URL_SESV2: sesEndpoint,
    PUBLIC_URL: config.publicUrl,
    EVENT_BUS_NAME: LOCAL_EVENT_BUS,
    SUPPORT_ADDRESS: config.supportAddress,
    BLOB_DIR: blobDir(config),
    MAIL_SECRET: mailSecret,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'relaydesk',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_NAMESPACE: 'Relaydesk',
    // One-time timers go to the local Scheduler API (its endpoint is set once it listens).
    TIMER_SCHEDULE_GROUP: 'relaydesk-timers',
    TIMER_TARGET_ARN: localQueueArn(slaTimerChecks.name),
    CSAT_TIMER_TARGET_ARN: localQueueArn(csatSurveyMail.name),
    TIMER_ROLE_ARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/relaydesk-scheduler`,
    // Webhooks may call receivers on this machine (plain http to loopback); never set in AWS.
    RELAYDESK_ALLOW_LOOPBACK_WEBHOOKS: '1',
    ...(config.rateLimitPerMinute ? { RATE_LIMIT_PER_MINUTE: String(config.rateLimitPerMinute) } : {}),
  };
};

export const startRelaydesk = async (
  config: RuntimeConfig,
  signal?: AbortSignal,
): Promise<RelaydeskRuntime> => {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error('[relaydesk] error while stopping', error);
      }
    }
  };
  await mkdir(config.dataDir, { recursive: true });
  const mailSecret = await loadOrCreateMailSecret(config.dataDir);
  // Set first: the SDK also reads it (its Node version notice) when the first client is built.
  Object.assign(process.env, functionEnvironment(config, { mailSecret }));
  try {
    // Check every port before starting anything, so a clash names its variable and leaves nothing behind.
    await assertPortFree(config.port, 'RELAYDESK_PORT');
    await assertPortFree(config.dynamoDbPort, 'RELAYDESK_DYNAMODB_PORT');
    await assertPortFree(config.sesPort, 'RELAYDESK_SES_PORT');
    await assertPortFree(config.smtpPort, 'RELAYDESK_SMTP_PORT');
    await mkdir(join(config.dataDir, 'dynamodb'), { recursive: true });
    await mkdir(blobDir(config), { recursive: true });

    const dynamo = await startDynamoDbLocal({
      port: config.dynamoDbPort,
      dataDir: join(config.dataDir, 'dynamodb'),
    });
    stops.push(dynamo.stop);
    signal?.throwIfAborted();
    const dynamodb = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    stops.push(async () => dynamodb.destroy());
    await createTables(dynamodb, LOCAL_TABLE_PREFIX);

    const ses = await startSesLocal(config.sesPort, 'RELAYDESK_SES_PORT');
    stops.push(ses.stop);
    signal?.throwIfAborted();

    if (config.forbidScans) forbidScans();
    enforceFunctionGrants();
    const load = createModuleLoader(config.projectRoot);

    // Before anything reads the time: a clock moved forward earlier stays moved across restarts.
    const clock = await LocalClock.open(config.dataDir);
    const scheduler = await Scheduler.open({
      schedules,
      load,
      stateFile: join(config.dataDir, 'schedules.json'),
      now: nowMs,
    });
    scheduler.start();
    stops.push(() => scheduler.stop());

    const fabric = await EventFabric.open({
      consumers,
      // The local SES never bounces, so nothing feeds mail feedback here; its queue exists all the same.
      // SLA timers reach their queue from the local Scheduler API below, as from Scheduler in AWS.
      notificationConsumers: [mailIngress, mailFeedback, slaTimerChecks, csatSurveyMail],
      load,
      queueDir: join(config.dataDir, 'queues'),
    });
    const schedulerApi = await SchedulerLocal.start({
      port: config.schedulerPort ?? 0,
      portVariable: 'RELAYDESK_SCHEDULER_PORT',
      stateFile: join(config.dataDir, 'scheduler-api.json'),
      now: nowMs,
      deliver: (targetArn, input) => fabric.enqueue(localQueueConsumer(targetArn), [input]),
    });
    // Before any consumer runs: the first timer a function sets builds its client from it.
    process.env.AWS_ENDPOINT_URL_SCHEDULER = schedulerApi.endpoint;
    fabric.start();
    stops.push(() => fabric.stop());
    // Stopped before the fabric, so no timer fires into stopped queues.
    stops.push(() => schedulerApi.stop());

    const smtp = await startSmtpListener({
      port: config.smtpPort,
      portVariable: 'RELAYDESK_SMTP_PORT',
      supportAddress: config.supportAddress,
      receive: createLocalMailReceipt({
        blobs: new FolderBlobStore(blobDir(config)),
        enqueue: (bodies) => fabric.enqueue(mailIngress.name, bodies),
      }),
    });
    stops.push(smtp.stop);
    signal?.throwIfAborted();

    const createStreamHandler = await exportedFunction<CreateStreamHandler>(
      load,
      streamPublisher.entry,
      'createPublishTicketEventsHandler',
    );
    const streams = new DynamoDBStreamsClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const poller = await StreamPoller.open({
      dynamodb,
      streams,
      tableName: `${LOCAL_TABLE_PREFIX}-${streamPublisher.table}`,
      handler: grantedStreamHandler(createStreamHandler({ bus: fabric })),
      checkpointFile: join(config.dataDir, 'stream-checkpoints.json'),
    });
    poller.start();
    stops.push(async () => {
      await poller.stop();
      streams.destroy();
    });

    const http = await listenOnLoopback(
      createRequestListener({
        routes: new RouteTable(routeGroups),
        authorizer,
        load,
        localControl: { clock, scheduler },
      }),
      config.port,
      'RELAYDESK_PORT',
    );
    stops.push(http.stop);
    signal?.throwIfAborted();

    const seedAccount = await exportedFunction<SeedAccount>(
      load,
      'shared/setup/seed-account.ts',
      'seedAccount',
    );
    const seeded = await seedAccount({
      adminEmail: config.adminEmail,
      ...(config.adminToken && { adminToken: config.adminToken }),
    });
    await waitForHealth(`http://127.0.0.1:${config.port}/healthz`, signal);

    let stopping: Promise<void> | undefined;
    return {
      publicUrl: config.publicUrl,
      apiUrl: `${config.publicUrl}/api/v2`,
      mailViewerUrl: ses.endpoint,
      smtpAddress: `${smtp.host}:${smtp.port}`,
      supportAddress: config.supportAddress,
      dataDir: config.dataDir,
      adminEmail: seeded.adminEmail,
      adminToken: seeded.adminToken,
      firstStart: seeded.firstStart,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};

/** Polls the health route through the HTTP adapter, so "running" means a request really went through. */
const waitForHealth = async (url: string, signal: AbortSignal | undefined): Promise<void> => {
  const deadline = Date.now() + HEALTH_DEADLINE_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `GET /healthz did not answer 200 within ${HEALTH_DEADLINE_MS / 1000} s (last: ${String(last)})`,
  );
};
