/**
 * End to end, triggers on the local runtime booted as `npm start` boots it, driven by node-zendesk:
 * the default triggers are there on first start; a trigger created through the API fires on a new
 * ticket, its audit comes `via` rule, and the notification it asked for is in the local mail viewer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RuntimeProcess, removeDataDir, startRuntimeProcess } from '../support/runtime-process.ts';
import { type Loose, zendeskClient } from '../support/zendesk-client.ts';

const ADMIN_EMAIL = 'admin@relaydesk-rules-e2e.test';
const ADMIN_TOKEN = 'rules-e2e-admin-token-0123456789';
const CUSTOMER = 'printer-owner@example.test';
const TRIGGER_TITLE = 'Printer tickets are urgent';

/** The parts of aws-ses-v2-local's GET /store this test reads. */
interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

let runtime: RuntimeProcess;
let zd: Loose;

const sentMail = async (): Promise<StoredMail[]> => {
  const response = await fetch(`http://127.0.0.1:${runtime.ports.ses}/store`);
  return ((await response.json()) as { emails: StoredMail[] }).emails;
};

/** Polls until `probe` returns a value (bounded: the fabric delivers within a second or two). */
const eventually = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Gave up waiting for ${what}\n--- runtime output ---\n${runtime.output()}`);
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

describe('triggers, locally', () => {
  it('starts with the default triggers, editable, the VIP example inactive', async () => {
    const triggers: Loose[] = await zd.triggers.list();
    const defaults = triggers.filter((trigger) => trigger.default === true);
    expect(defaults.map((trigger) => [trigger.title, trigger.active])).toEqual([
      ['Notify requester of received request', true],
      ['Notify requester and CCs of comment update', true],
      ['Notify requester of new proactive ticket', true],
      ['Notify assignee of assignment', true],
      ['Notify group of new unassigned ticket', true],
      ['VIP: enterprise organizations go to Tier 2', false],
    ]);
  });

  it('fires a trigger created through the API: the audit comes via rule, and its mail goes out', async () => {
    const { result: trigger } = await zd.triggers.create({
      trigger: {
        title: TRIGGER_TITLE,
        conditions: {
          all: [
            { field: 'update_type', operator: 'is', value: 'Create' },
            { field: 'subject_includes_word', operator: 'includes', value: 'printer' },
          ],
        },
        actions: [
          { field: 'priority', value: 'urgent' },
          {
            field: 'notification_user',
            value: [
              'requester_id',
              'We saw ticket #{{ticket.id}}',
              'Its priority is now {{ticket.priority}}.',
            ],
          },
        ],
      },
    });
    expect(trigger.id).toEqual(expect.any(Number));

    const { result: customer } = await zd.users.create({
      user: { name: 'Pat Printer', email: CUSTOMER, verified: true },
    });
    const { result: ticket } = await zd.tickets.create({
      ticket: {
        subject: 'The printer jams',
        comment: { body: 'Every third page.' },
        requester_id: customer.id,
      },
    });

    const ruleAudit = await eventually('the rule audit', async () => {
      const audits: Loose[] = await zd.ticketaudits.list(ticket.id);
      return audits.find((audit) => audit.via?.channel === 'rule');
    });
    // One audit for the whole cycle, attributed to the first trigger that fired (a seeded one may
    // precede ours) and listing every trigger; our notification names our trigger.
    expect(ruleAudit.via.source.rel).toBe('trigger');
    expect(ruleAudit.metadata.custom.triggers).toContainEqual({ id: trigger.id, title: TRIGGER_TITLE });
    expect(ruleAudit.events).toContainEqual(
      expect.objectContaining({ type: 'Change', field_name: 'priority', value: 'urgent' }),
    );
    expect(ruleAudit.events).toContainEqual(
      expect.objectContaining({
        type: 'Notification',
        subject: `We saw ticket #${ticket.id}`,
        via: expect.objectContaining({
          source: expect.objectContaining({ from: { id: trigger.id, title: TRIGGER_TITLE } }),
        }),
      }),
    );
    const { result: updated } = await zd.tickets.show(ticket.id);
    expect(updated.priority).toBe('urgent');

    const mail = await eventually('the notification mail', async () =>
      (await sentMail()).find(
        (stored) =>
          stored.destination.to.some((to) => to.includes(CUSTOMER)) &&
          stored.subject === `We saw ticket #${ticket.id}`,
      ),
    );
    expect(mail.body.text).toContain('Its priority is now urgent.');
    expect(mail.body.html).toContain('Its priority is now urgent.');
  });

  it('delivered everything on the first try: no consumer failed or dead-lettered a message', () => {
    expect(runtime.output()).not.toMatch(/\[event fabric\]/);
  });
});
