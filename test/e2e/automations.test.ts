/**
 * End to end: automations in the local runtime without waiting. A ticket solved through node-zendesk
 * is closed by the seeded "Close ticket 4 days after status is set to solved" automation once the
 * local clock has moved 97 hours (POST /_local/clock) and the hourly schedule has run
 * (POST /_local/schedules/run-automations/run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RuntimeProcess, removeDataDir, startRuntimeProcess } from '../support/runtime-process.ts';
import { type Loose, zendeskClient } from '../support/zendesk-client.ts';

const ADMIN_EMAIL = 'admin@relaydesk-automations.test';
const ADMIN_TOKEN = 'e2e-automations-token-0123456789';
const CLOSE_AFTER_SOLVED = 'Close ticket 4 days after status is set to solved';

let runtime: RuntimeProcess;
let zd: Loose;

/** The local-only control endpoints have no client; they take no authentication (loopback only). */
const control = async (path: string, body?: unknown) => {
  const response = await fetch(`${runtime.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Loose };
};

const runAutomations = async () => {
  const run = await control('/_local/schedules/run-automations/run');
  expect(run).toMatchObject({ status: 200, body: { schedule: 'run-automations' } });
};

beforeAll(async () => {
  runtime = await startRuntimeProcess({ adminEmail: ADMIN_EMAIL, adminToken: ADMIN_TOKEN });
  zd = zendeskClient({
    apiUrl: runtime.apiUrl,
    username: ADMIN_EMAIL,
    token: ADMIN_TOKEN,
    throwOriginalException: true,
  });
});

afterAll(async () => {
  if (!runtime) return;
  const report = await runtime.stop();
  await removeDataDir(runtime.dataDir);
  if (!report.exitedOnSigint || report.survivingJava.length > 0 || report.dynamoDbPortOpen) {
    throw new Error(`The runtime did not stop cleanly: ${JSON.stringify(report)}\n${runtime.output()}`);
  }
});

describe('automations', () => {
  it('are seeded on first start', async () => {
    const active: Loose[] = await zd.automations.listActive();
    expect(active.map((automation) => automation.title)).toEqual(
      expect.arrayContaining([
        CLOSE_AFTER_SOLVED,
        'Pending notification 72 hours',
        'Solve pending tickets after 7 more days',
      ]),
    );
  });

  it('close a solved ticket after 96 hours, with an audit via the automation', async () => {
    const agent = (
      await zd.users.create({
        user: { name: 'Ada Agent', email: 'ada@relaydesk-automations.test', role: 'agent' },
      })
    ).result;
    const ticket = (
      await zd.tickets.create({
        ticket: {
          subject: 'Invoice missing',
          comment: { body: 'Where is my invoice?' },
          requester: { name: 'Rita Requester', email: 'rita@customer-automations.test' },
        },
      })
    ).result;
    const solved = await zd.tickets.update(ticket.id, {
      ticket: { assignee_id: agent.id, status: 'solved', comment: { body: 'Sent it again.' } },
    });

    // Not yet: no time has passed.
    await runAutomations();
    expect((await zd.tickets.show(ticket.id)).result.status).toBe('solved');

    const moved = await control('/_local/clock', { advance_minutes: 97 * 60 });
    expect(moved).toMatchObject({ status: 200, body: { clock: { offset_minutes: 97 * 60 } } });
    await runAutomations();

    expect((await zd.tickets.show(ticket.id)).result.status).toBe('closed');
    const audits: Loose[] = await zd.tickets.exportAudit(ticket.id);
    const byAutomation = audits.filter((audit) => audit.via?.source?.rel === 'automation');
    expect(byAutomation).toHaveLength(1);
    const [closing] = byAutomation;
    expect(closing.via).toMatchObject({ channel: 'rule', source: { from: { title: CLOSE_AFTER_SOLVED } } });
    // Written at the moved time, more than 96 hours after the solve, not at the machine's time.
    expect(Date.parse(closing.created_at) - Date.parse(solved.result.updated_at)).toBeGreaterThan(
      96 * 3_600_000,
    );
    expect(closing.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Change',
          field_name: 'status',
          previous_value: 'solved',
          value: 'closed',
        }),
      ]),
    );

    // Another run in the same hour changes nothing.
    await runAutomations();
    const again: Loose[] = await zd.tickets.exportAudit(ticket.id);
    expect(again).toHaveLength(audits.length);
  });
});
