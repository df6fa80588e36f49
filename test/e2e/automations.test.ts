/**
 * End to end: automations in the local runtime without waiting. A ticket solved through node-zendesk
 * is closed by the seeded "Close ticket 4 days after status is set to solved" automation once the
 * local clock has moved 97 hours (POST /_local/clock) and the hourly schedule has run
 * (POST /_local/schedules/run-automations/run).
 */
import { describe, expect, it } from 'vitest';
import { useLocalRuntime } from '../support/e2e-runtime.ts';
import type { Loose } from '../support/zendesk-client.ts';

const ADMIN_EMAIL = 'admin@relaydesk-automations.test';
const ADMIN_TOKEN = 'e2e-automations-token-0123456789';

const local = useLocalRuntime({ email: ADMIN_EMAIL, token: ADMIN_TOKEN });
const CLOSE_AFTER_SOLVED = 'Close ticket 4 days after status is set to solved';

/** The local-only control endpoints have no client; they take no authentication (loopback only). */
const control = async (path: string, body?: unknown) => {
  const response = await fetch(`${local.runtime().baseUrl}${path}`, {
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

describe('automations', () => {
  it('are seeded on first start', async () => {
    const active: Loose[] = await local.client().automations.listActive();
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
      await local.client().users.create({
        user: { name: 'Ada Agent', email: 'ada@relaydesk-automations.test', role: 'agent' },
      })
    ).result;
    const ticket = (
      await local.client().tickets.create({
        ticket: {
          subject: 'Invoice missing',
          comment: { body: 'Where is my invoice?' },
          requester: { name: 'Rita Requester', email: 'rita@customer-automations.test' },
        },
      })
    ).result;
    const solved = await local.client().tickets.update(ticket.id, {
      ticket: { assignee_id: agent.id, status: 'solved', comment: { body: 'Sent it again.' } },
    });

    // Not yet: no time has passed.
    await runAutomations();
    expect((await local.client().tickets.show(ticket.id)).result.status).toBe('solved');

    const moved = await control('/_local/clock', { advance_minutes: 97 * 60 });
    expect(moved).toMatchObject({ status: 200, body: { clock: { offset_minutes: 97 * 60 } } });
    await runAutomations();

    expect((await local.client().tickets.show(ticket.id)).result.status).toBe('closed');
    const audits: Loose[] = await local.client().tickets.exportAudit(ticket.id);
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
    const again: Loose[] = await local.client().tickets.exportAudit(ticket.id);
    expect(again).toHaveLength(audits.length);
  });
});
