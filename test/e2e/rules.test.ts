/**
 * End to end, triggers on the local runtime booted as `npm start` boots it, driven by node-zendesk:
 * the default triggers are there on first start; a trigger created through the API fires on a new
 * ticket, its audit comes `via` rule, and the notification it asked for is in the local mail viewer.
 */
import { describe, expect, it } from 'vitest';
import { eventually, sentMail, useLocalRuntime } from '../support/e2e-runtime.ts';
import type { Loose } from '../support/zendesk-client.ts';

const ADMIN_EMAIL = 'admin@relaydesk-rules-e2e.test';
const ADMIN_TOKEN = 'rules-e2e-admin-token-0123456789';

const local = useLocalRuntime({ email: ADMIN_EMAIL, token: ADMIN_TOKEN });
const CUSTOMER = 'printer-owner@example.test';
const TRIGGER_TITLE = 'Printer tickets are urgent';

describe('triggers, locally', () => {
  it('starts with the default triggers, editable, the VIP example inactive', async () => {
    const triggers: Loose[] = await local.client().triggers.list();
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
    const { result: trigger } = await local.client().triggers.create({
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

    const { result: customer } = await local.client().users.create({
      user: { name: 'Pat Printer', email: CUSTOMER, verified: true },
    });
    const { result: ticket } = await local.client().tickets.create({
      ticket: {
        subject: 'The printer jams',
        comment: { body: 'Every third page.' },
        requester_id: customer.id,
      },
    });

    const ruleAudit = await eventually(local.runtime(), 'the rule audit', async () => {
      const audits: Loose[] = await local.client().ticketaudits.list(ticket.id);
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
    const { result: updated } = await local.client().tickets.show(ticket.id);
    expect(updated.priority).toBe('urgent');

    const mail = await eventually(local.runtime(), 'the notification mail', async () =>
      (await sentMail(local.runtime())).find(
        (stored) =>
          stored.destination.to.some((to) => to.includes(CUSTOMER)) &&
          stored.subject === `We saw ticket #${ticket.id}`,
      ),
    );
    expect(mail.body.text).toContain('Its priority is now urgent.');
    expect(mail.body.html).toContain('Its priority is now urgent.');
  });

  it('delivered everything on the first try: no consumer failed or dead-lettered a message', () => {
    expect(local.runtime().output()).not.toMatch(/\[event fabric\]/);
  });
});
