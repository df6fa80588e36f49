/**
 * `npm run bench`: per-function bundle size and module init time, API latency on the local runtime
 * next to the raw DynamoDB Local latency of the same calls, and DynamoDB consumed capacity per API
 * operation. Not part of `npm test`: it takes a couple of minutes and its numbers depend on the machine.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTables, physicalNames } from '../../infra/local/create-tables.ts';
import { freePort } from '../../infra/local/ports.ts';
import { type RuntimeProcess, removeDataDir, startRuntimeProcess } from '../support/runtime-process.ts';
import { type ApiLatency, measureApiLatency } from './api-latency.ts';
import { BUNDLE_BUDGET_BYTES, bundleFunctions } from './bundle-sizes.ts';
import { measureBusinessHours } from './business-hours.ts';
import { capacityTotals } from './dynamo-recorder.ts';
import { measureInboundMail } from './inbound-mail.ts';
import { measureInitTime } from './init-time.ts';
import { type RawLatency, replayLatency } from './raw-latency.ts';
import { measureRuleEngine } from './rule-engine.ts';
import { measureRuleLatency } from './rule-latency.ts';
import { measureSlaBreachLatency } from './sla-breach-latency.ts';
import { type LatencySamples, round } from './stats.ts';
import { formatTable } from './table.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN_EMAIL = 'bench@relaydesk.test';
const ADMIN_TOKEN = 'bench-token-0123456789abcdef';
const LOAD_SECONDS = 10;
const LOAD_CONNECTIONS = 4;
const INIT_RUNS = 5;
const RULE_LATENCY_TICKETS = 50;
const BENCH_TABLE_PREFIX = 'bench';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const section = (title: string) => console.log(`\n== ${title} ==\n`);

/** One row: how many samples, their p50/p99, min and max, in whole ms. */
const samplesTable = ({ samplesMs, p50Ms, p99Ms }: LatencySamples) =>
  formatTable(
    ['tickets', 'p50 ms', 'p99 ms', 'min ms', 'max ms'],
    [
      [
        String(samplesMs.length),
        round(p50Ms, 0),
        round(p99Ms, 0),
        round(Math.min(...samplesMs), 0),
        round(Math.max(...samplesMs), 0),
      ],
    ],
  );

const main = async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'relaydesk-bench-'));
  let runtime: RuntimeProcess | undefined;
  console.log(
    `Relaydesk benchmark — node ${process.version}, ${cpus().length} CPU(s), ${new Date().toISOString()}`,
  );
  try {
    section('1. Bundle size per function (esbuild: bundle, minify, esm, node22, AWS SDK bundled)');
    const bundles = await bundleFunctions(PROJECT_ROOT, outDir);
    console.log(
      formatTable(
        ['function', 'entry', 'bytes', 'size', 'budget 1 MiB'],
        bundles.map((b) => [
          b.name,
          b.entry,
          String(b.bytes),
          kib(b.bytes),
          b.bytes > BUNDLE_BUDGET_BYTES ? 'OVER BUDGET' : 'ok',
        ]),
      ),
    );
    const over = bundles.filter((b) => b.bytes > BUNDLE_BUDGET_BYTES);
    console.log(
      over.length
        ? `\n${over.length} function(s) over the 1 MiB budget.`
        : '\nAll functions within the 1 MiB budget.',
    );

    section(`2. Module init time in a fresh Node process (import() of the bundle, median of ${INIT_RUNS})`);
    const initRows: string[][] = [];
    for (const bundle of bundles) {
      const init = await measureInitTime(bundle.file, INIT_RUNS);
      initRows.push([
        bundle.name,
        bundle.entry,
        `${round(init.medianMs, 1)} ms`,
        init.samplesMs.map((ms) => round(ms, 0)).join(' '),
      ]);
    }
    console.log(formatTable(['function', 'entry', 'median', 'samples (ms)'], initRows));

    console.log('\nBooting the local runtime (npm start) …');
    const schedulerPort = await freePort();
    runtime = await startRuntimeProcess({
      adminEmail: ADMIN_EMAIL,
      adminToken: ADMIN_TOKEN,
      env: {
        // Measure latency, not the per-user API rate limit (700/min by default, like Zendesk's).
        RELAYDESK_RATE_LIMIT_PER_MINUTE: '100000000',
        // Known, so section 9 can see a ticket's breach timer exist before it moves the clock.
        RELAYDESK_SCHEDULER_PORT: String(schedulerPort),
      },
    });
    const dynamoEndpoint = `http://127.0.0.1:${runtime.ports.dynamoDb}`;

    // In-process handlers use the runtime's DynamoDB Local, in tables of their own.
    Object.assign(process.env, {
      ...physicalNames(BENCH_TABLE_PREFIX),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      PUBLIC_URL: 'https://help.example.test',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const admin = new DynamoDBClient({});
    await createTables(admin, BENCH_TABLE_PREFIX);
    admin.destroy();
    // Imported only now: the handlers read the environment above when their modules load.
    const { measureOperations } = await import('./operations.ts');
    const { documentClient } = await import('../../shared/store/dynamo.ts');
    const measured = await measureOperations();

    const raw: Record<string, RawLatency> = {
      create: await replayLatency(documentClient(), measured.createTicket, 200),
      show: await replayLatency(documentClient(), measured.showTicket, 300),
      list: await replayLatency(documentClient(), measured.listTickets, 200),
      authorize: await replayLatency(documentClient(), measured.authorizeRequest, 300),
    };

    const authorization = `Basic ${Buffer.from(`${ADMIN_EMAIL}/token:${ADMIN_TOKEN}`).toString('base64')}`;
    const load = (path: string, extra: { method?: 'GET' | 'POST'; body?: unknown } = {}) =>
      measureApiLatency({
        url: `${runtime?.baseUrl}${path}`,
        authorization,
        durationSeconds: LOAD_SECONDS,
        connections: LOAD_CONNECTIONS,
        ...extra,
      });
    // Before the load below, so a backlog of its events does not queue ahead of these.
    const ruleLatency = await measureRuleLatency(runtime.baseUrl, authorization, RULE_LATENCY_TICKETS);
    console.log(`Loading the API: ${LOAD_SECONDS} s per operation, ${LOAD_CONNECTIONS} connections …`);
    const api: Record<string, ApiLatency> = {
      create: await load('/api/v2/tickets.json', {
        method: 'POST',
        body: { ticket: { subject: 'Load test', comment: { body: 'A ticket created by the benchmark.' } } },
      }),
    };
    const probe = await fetch(`${runtime.baseUrl}/api/v2/tickets.json?page%5Bsize%5D=1`, {
      headers: { authorization },
    });
    const firstTicket = ((await probe.json()) as { tickets: { id: number }[] }).tickets[0];
    if (!firstTicket) throw new Error('the create load left no ticket to show');
    api.show = await load(`/api/v2/tickets/${firstTicket.id}.json`);
    api.list = await load('/api/v2/tickets.json?page%5Bsize%5D=100');

    section('3. API latency (autocannon, loopback) vs raw DynamoDB Local latency of the same calls');
    const latencyRows = (['create', 'show', 'list'] as const).map((operation) => {
      const http = api[operation] as ApiLatency;
      const sdk = raw[operation] as RawLatency;
      return [
        {
          create: 'POST /api/v2/tickets',
          show: 'GET /api/v2/tickets/{id}',
          list: 'GET /api/v2/tickets?page[size]=100',
        }[operation],
        `${round(http.p50Ms, 1)} / ${round(http.p99Ms, 1)}`,
        round(http.requestsPerSecond, 0),
        http.statusCodes || 'none',
        sdk.sequence,
        `${round(sdk.p50Ms)} / ${round(sdk.p99Ms)}`,
        `${round(http.p50Ms / sdk.p50Ms, 1)}x / ${round(http.p99Ms / sdk.p99Ms, 1)}x`,
      ];
    });
    console.log(
      formatTable(
        [
          'operation',
          'API p50/p99 ms',
          'req/s',
          'responses',
          'route DynamoDB calls',
          'raw p50/p99 ms',
          'API/raw p50/p99',
        ],
        latencyRows,
      ),
    );
    const auth = raw.authorize as RawLatency;
    console.log(
      `\nEvery API request also runs the authorizer first: ${auth.sequence}, raw ${round(auth.p50Ms)} / ${round(auth.p99Ms)} ms (p50/p99);` +
        `\nits calls are not in the raw column. API latency is measured with ${LOAD_CONNECTIONS} concurrent connections, so it` +
        '\nincludes queueing in the one-process runtime (which also runs the stream poller and metrics consumer);' +
        '\nraw latency is one call sequence at a time.',
    );

    section(
      '4. DynamoDB consumed capacity per API operation (ReturnConsumedCapacity: TOTAL, in-process handlers)',
    );
    const capacityRows = measured.operations.map(({ operation, calls }) => {
      const totals = capacityTotals(calls);
      const reported = calls.length - totals.unreported.length;
      return [
        operation,
        calls
          .map((call) => call.command.replace(/Command$/, '') + (call.failed ? '(failed)' : ''))
          .join(', '),
        reported ? round(totals.readUnits, 1) : 'n/a',
        reported ? round(totals.writeUnits, 1) : 'n/a',
        totals.unreported.length ? `not reported for: ${totals.unreported.join(', ')}` : '',
      ];
    });
    console.log(formatTable(['operation', 'DynamoDB calls', 'RCU', 'WCU', 'note'], capacityRows));
    console.log(
      '\nCapacity units as DynamoDB Local reports them (TOTAL gives one figure per call; reads and writes are told apart' +
        '\nby the command). DynamoDB Local does not model every AWS cost (e.g. GSI write amplification), so treat these' +
        '\nas lower bounds for on-demand billing.',
    );

    section(`5. Inbound mail to committed ticket (in-process handler, DynamoDB Local, folder blob store)`);
    const inbound = await measureInboundMail();
    console.log(
      formatTable(
        ['message', 'bytes', 'runs', 'p50 ms', 'p99 ms'],
        inbound.map((row) => [
          row.label,
          String(row.bytes),
          String(row.samplesMs.length),
          round(row.p50Ms, 1),
          round(row.p99Ms, 1),
        ]),
      ),
    );

    const engine = measureRuleEngine();
    section(`6. Trigger cycle throughput (pure engine, in process, ${engine.triggers} active triggers)`);
    console.log(
      formatTable(
        ['tickets', 'triggers', 'elapsed ms', 'tickets/s', 'trigger evaluations/s', 'fired per ticket'],
        [
          [
            String(engine.tickets),
            String(engine.triggers),
            round(engine.elapsedMs, 0),
            round(engine.ticketsPerSecond, 0),
            round(engine.evaluationsPerSecond, 0),
            round(engine.firedPerTicket, 2),
          ],
        ],
      ),
    );

    section('7. Ticket create to trigger audit committed (local runtime, one ticket at a time)');
    console.log(samplesTable(ruleLatency));
    console.log(
      '\nFrom the create response to the rule audit being readable (audits polled every 10 ms). The path is' +
        '\nstream poller (250 ms interval) → publisher → bus → rules queue (100 ms poll) → apply-triggers.',
    );

    section('8. Business-minutes addition throughput (pure, in process; breach instants for SLA timers)');
    console.log(
      formatTable(
        ['schedule', 'target minutes', 'operations', 'operations/s'],
        measureBusinessHours().map((row) => [
          row.schedule,
          String(row.targetMinutes),
          String(row.operations),
          round(row.operationsPerSecond, 0),
        ]),
      ),
    );

    // Last: each sample moves the runtime's clock 30 minutes forward.
    section('9. SLA breach instant to SlaBreaches EMF line (local runtime, one urgent ticket at a time)');
    const breach = await measureSlaBreachLatency(
      runtime.baseUrl,
      authorization,
      runtime.nextOutput,
      `http://127.0.0.1:${schedulerPort}`,
      10,
    );
    console.log(samplesTable(breach));
    console.log(
      '\nFrom the clock reaching the breach instant to the EMF line (as the runtime prints it): local' +
        '\nScheduler API tick (500 ms) → SLA timers queue (100 ms poll) → check-sla-breach. In AWS, Scheduler' +
        '\nadds its own precision: it invokes within the minute after the instant.',
    );

    section('10. NPS daily selection over 100,000 end-users (in process, DynamoDB Local, byUpdated index)');
    const { measureNpsSelection } = await import('./nps-selection.ts');
    const nps = await measureNpsSelection();
    console.log(
      formatTable(
        ['DynamoDB command', 'calls', 'RCU', 'WCU'],
        nps.byCommand.map((row) => [
          row.command,
          String(row.calls),
          round(row.readUnits, 1),
          round(row.writeUnits, 1),
        ]),
      ),
    );
    console.log(
      `\n${nps.users} users seeded in ${round(nps.seedMs / 1000, 0)} s; ${nps.candidates} in the 30-day window;` +
        ` ${nps.queued} surveys queued (daily cap 500) in ${round(nps.elapsedMs, 0)} ms,` +
        ` ${round(nps.readUnits, 1)} RCU and ${round(nps.writeUnits, 1)} WCU in all. No Scan.`,
    );
  } finally {
    if (runtime) {
      const report = await runtime.stop();
      const clean = report.exitedOnSigint && report.survivingJava.length === 0 && !report.dynamoDbPortOpen;
      console.log(
        `\nRuntime stopped ${clean ? 'cleanly (no DynamoDB Local left running)' : `UNCLEANLY: ${JSON.stringify(report)}`}.`,
      );
      await removeDataDir(runtime.dataDir);
    }
    await rm(outDir, { recursive: true, force: true });
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
