/**
 * End to end: Ctrl-C and a restart. The runtime must stop on SIGINT leaving no DynamoDB Local JVM
 * behind, and a second start on the same data folder and ports must find every ticket, keep the
 * admin's token working without printing a new one, and honour RELAYDESK_PUBLIC_URL in its links.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDataDir,
  freeRuntimePorts,
  type RuntimePorts,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
} from '../support/runtime-process.ts';
import { type Loose, zendeskClient } from '../support/zendesk-client.ts';

const ADMIN_EMAIL = 'owner@relaydesk-restart.test';
const ADMIN_TOKEN = 'restart-admin-token-9876543210';
const PUBLIC_URL = 'https://desk.example.test';

let dataDir: string;
let ports: RuntimePorts;
let first: RuntimeProcess | undefined;
let second: RuntimeProcess | undefined;
const ticketIds: number[] = [];

const client = (runtime: RuntimeProcess) =>
  zendeskClient({
    apiUrl: runtime.apiUrl,
    username: ADMIN_EMAIL,
    token: ADMIN_TOKEN,
    throwOriginalException: true,
  });

const getJson = async (runtime: RuntimeProcess, path: string): Promise<{ status: number; body: Loose }> => {
  const response = await fetch(`${runtime.baseUrl}${path}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${ADMIN_EMAIL}/token:${ADMIN_TOKEN}`).toString('base64')}`,
    },
  });
  return { status: response.status, body: await response.json() };
};

beforeAll(async () => {
  dataDir = await createDataDir();
  ports = await freeRuntimePorts();
  first = await startRuntimeProcess({ adminEmail: ADMIN_EMAIL, adminToken: ADMIN_TOKEN, dataDir, ports });
});

afterAll(async () => {
  // Whatever failed above, leave no process and no folder behind.
  await first?.stop();
  await second?.stop();
  if (dataDir) await removeDataDir(dataDir);
});

describe('stop and restart', () => {
  it('prints the admin token on the first start', () => {
    expect(first?.output()).toContain(`API token    ${ADMIN_TOKEN}`);
  });

  it('stops on SIGINT and leaves no DynamoDB Local process behind', async () => {
    const runtime = first as RuntimeProcess;
    const zd = client(runtime);
    for (const subject of ['Before restart 1', 'Before restart 2', 'Before restart 3']) {
      ticketIds.push(
        (await zd.tickets.create({ ticket: { subject, comment: { body: subject } } })).result.id,
      );
    }
    await zd.tickets.update(ticketIds[0], { ticket: { comment: { body: 'A reply before the restart' } } });

    const report = await runtime.stop();
    expect(report).toEqual({
      exitCode: 0,
      signal: null,
      exitedOnSigint: true,
      survivingJava: [],
      dynamoDbPortOpen: false,
    });
    expect(runtime.output()).toContain('Stopping Relaydesk');
  });

  it('finds every ticket after a restart on the same data folder and ports, without a new token', async () => {
    second = await startRuntimeProcess({
      adminEmail: ADMIN_EMAIL,
      adminToken: ADMIN_TOKEN,
      dataDir,
      ports,
      publicUrl: PUBLIC_URL,
    });
    expect(second.output()).toContain('Relaydesk is running.');
    expect(second.output()).not.toContain(ADMIN_TOKEN);
    expect(second.output()).toContain('shown on first start');

    const listed = await getJson(second, '/api/v2/tickets.json?page%5Bsize%5D=100');
    expect(listed.status).toBe(200);
    expect(listed.body.tickets.map((ticket: Loose) => ticket.id)).toEqual(ticketIds);
    for (const id of ticketIds) {
      const shown = await getJson(second, `/api/v2/tickets/${id}.json`);
      expect(shown.status).toBe(200);
    }
    const comments = await getJson(second, `/api/v2/tickets/${ticketIds[0]}/comments.json`);
    expect(comments.body.comments.map((comment: Loose) => comment.body)).toEqual([
      'Before restart 1',
      'A reply before the restart',
    ]);
  });

  it('writes absolute links on RELAYDESK_PUBLIC_URL', async () => {
    const runtime = second as RuntimeProcess;
    const firstPage = await getJson(runtime, '/api/v2/tickets.json?page%5Bsize%5D=2');
    expect(firstPage.body.links.next).toMatch(/^https:\/\/desk\.example\.test\/api\/v2\/tickets\.json\?/);
    expect(firstPage.body.tickets[0].url).toBe(`${PUBLIC_URL}/api/v2/tickets/${ticketIds[0]}.json`);
    const lastPage = await getJson(
      runtime,
      new URL(firstPage.body.links.next).pathname + new URL(firstPage.body.links.next).search,
    );
    expect(lastPage.body.tickets.map((ticket: Loose) => ticket.id)).toEqual(ticketIds.slice(2));
    expect(lastPage.body.links.next).toBeNull();
  });

  it('stops cleanly again', async () => {
    const report = await (second as RuntimeProcess).stop();
    expect(report.exitedOnSigint).toBe(true);
    expect(report.survivingJava).toEqual([]);
    expect(report.dynamoDbPortOpen).toBe(false);
  });
});
