import type { SQSRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as applyTriggers } from '../../functions/events/apply-triggers.ts';
import type { Group } from '../../shared/domain/directory/group.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { type Audit, apiVia } from '../../shared/domain/tickets/ticket.ts';
import { readAllAudits } from '../../shared/store/tickets/ticket-metrics.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { addGroupMember, createGroup } from '../../shared/use-cases/groups/manage-groups.ts';
import { createRule } from '../../shared/use-cases/rules/manage-rules.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { updateUser } from '../../shared/use-cases/users/update-user.ts';
import { lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';
import { ticketEventRecord } from '../support/sqs-event.ts';

useTestTables();

let agent: User;
let customer: User;
const caller = () => ({ userId: agent.id, role: agent.role, email: agent.email ?? '' });
const now = '2026-11-25T09:00:00.000Z';

const record = (detailType: string, audit: Audit): SQSRecord =>
  ticketEventRecord(
    detailType,
    {
      version: 1,
      ticket_id: audit.ticket_id,
      audit_id: audit.id,
      author_id: audit.author_id,
      via: { channel: audit.via.channel },
      created_at: audit.created_at,
      changes: [],
    },
    { time: now },
  );

const deliver = async (detailType: string, audit: Audit) =>
  expect(
    await asFunction('apply-triggers', () =>
      applyTriggers({ Records: [record(detailType, audit)] }, lambdaContext()),
    ),
  ).toEqual({
    batchItemFailures: [],
  });

/** Each test tags its ticket, so the triggers of one test never match another's tickets. */
const newTicket = (tag: string) =>
  createTicket({
    caller: caller(),
    via: apiVia(),
    now,
    fields: { subject: 'Printer on fire', tags: [tag] },
    requester: customer.id,
    comment: { body: 'Smoke everywhere' },
  });

beforeAll(async () => {
  agent = await createUser({ name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' }, now);
  customer = await createUser({ name: 'Cy', email: 'cy@customer.test' }, now);
  await createRule(
    'trigger',
    {
      title: 'VIP on create',
      conditions: {
        all: [
          { field: 'update_type', operator: 'is', value: 'Create' },
          { field: 'current_tags', operator: 'includes', value: 'vip' },
        ],
      },
      actions: [
        { field: 'priority', value: 'urgent' },
        { field: 'current_tags', value: 'escalated' },
        { field: 'comment_value', value: 'Escalated: {{ticket.title}}' },
        { field: 'comment_mode_is_public', value: false },
      ],
    },
    now,
  );
  await createRule(
    'trigger',
    {
      title: 'Escalated tickets go to type incident',
      conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'escalated' }] },
      actions: [{ field: 'type', value: 'incident' }],
    },
    now,
  );
  await createRule(
    'trigger',
    {
      title: 'Never matches',
      conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'no-such-tag' }] },
      actions: [{ field: 'status', value: 'solved' }],
    },
    now,
  );
});

describe('the apply-triggers consumer', () => {
  it('writes the whole cycle as one audit via rule, attributed to the triggers that fired', async () => {
    const created = await newTicket('vip');
    await deliver('ticket.created', created.audit);

    const ticket = await getTicket(created.ticket.id);
    expect(ticket).toMatchObject({ priority: 'urgent', type: 'incident' });
    expect(ticket?.tags).toEqual(expect.arrayContaining(['escalated', 'vip']));
    const audits = await readAllAudits(created.ticket.id);
    expect(audits).toHaveLength(2);
    const ruleAudit = audits[1] as Audit;
    expect(ruleAudit.via).toMatchObject({
      channel: 'rule',
      source: { from: { title: 'VIP on create' }, rel: 'trigger' },
    });
    expect(ruleAudit.metadata.custom.triggers).toEqual([
      { id: expect.any(Number), title: 'VIP on create' },
      { id: expect.any(Number), title: 'Escalated tickets go to type incident' },
    ]);
    expect(ruleAudit.events).toContainEqual(
      expect.objectContaining({ type: 'Comment', body: 'Escalated: Printer on fire', public: false }),
    );
    expect(ruleAudit.events).toContainEqual(
      expect.objectContaining({
        type: 'Change',
        field_name: 'priority',
        value: 'urgent',
        previous_value: null,
      }),
    );
  });

  it('changes nothing when the same event is delivered again', async () => {
    const created = await newTicket('vip');
    await deliver('ticket.created', created.audit);
    const once = await getTicket(created.ticket.id);
    await deliver('ticket.created', created.audit);
    expect(await getTicket(created.ticket.id)).toEqual(once);
    expect(await readAllAudits(created.ticket.id)).toHaveLength(2);
  });

  it("does not start another cycle from a rule's own audit", async () => {
    const created = await newTicket('vip');
    await deliver('ticket.created', created.audit);
    const audits = await readAllAudits(created.ticket.id);
    const ruleAudit = audits[1] as Audit;
    // Were it to run, the escalation trigger (conditions only on tags) would still match; it must not.
    await updateTicket({
      caller: caller(),
      ticketId: created.ticket.id,
      via: apiVia(),
      now: () => now,
      fields: { type: 'question' },
    });
    const before = await getTicket(created.ticket.id);
    await deliver('ticket.updated', ruleAudit);
    expect(await getTicket(created.ticket.id)).toEqual(before);
    expect(await readAllAudits(created.ticket.id)).toHaveLength(3);
  });

  it('keeps an agent edit made after the event, applying the triggers on top of it', async () => {
    const created = await newTicket('vip');
    await updateTicket({
      caller: caller(),
      ticketId: created.ticket.id,
      via: apiVia(),
      now: () => now,
      fields: { assignee_id: agent.id, status: 'pending' },
    });
    await deliver('ticket.created', created.audit);

    expect(await getTicket(created.ticket.id)).toMatchObject({
      assignee_id: agent.id,
      status: 'pending',
      priority: 'urgent',
      type: 'incident',
    });
    const audits = await readAllAudits(created.ticket.id);
    expect(audits.map((audit) => audit.via.channel)).toEqual(['api', 'api', 'rule']);
  });

  it('applies the cycle once when two deliveries of the same event race', async () => {
    const created = await newTicket('vip');
    // Both pass the early claim check and plan on the same version: one commits, the other conflicts,
    // reloads and finds the claim.
    await Promise.all([deliver('ticket.created', created.audit), deliver('ticket.created', created.audit)]);
    const audits = await readAllAudits(created.ticket.id);
    expect(audits.map((audit) => audit.via.channel)).toEqual(['api', 'rule']);
  });

  it('loses neither change when an agent edit races the cycle', async () => {
    const created = await newTicket('vip');
    await Promise.all([
      deliver('ticket.created', created.audit),
      updateTicket({
        caller: caller(),
        ticketId: created.ticket.id,
        via: apiVia(),
        now: () => now,
        fields: { assignee_id: agent.id },
      }),
    ]);
    expect(await getTicket(created.ticket.id)).toMatchObject({ assignee_id: agent.id, priority: 'urgent' });
    expect(
      (await readAllAudits(created.ticket.id)).filter((audit) => audit.via.channel === 'rule'),
    ).toHaveLength(1);
  });

  it('does nothing when no trigger matches', async () => {
    const created = await newTicket('ordinary');
    await deliver('ticket.created', created.audit);
    expect(await getTicket(created.ticket.id)).toEqual(created.ticket);
    expect(await readAllAudits(created.ticket.id)).toHaveLength(1);
  });
});

describe('what triggers send: notifications and webhook calls on the rule audit', () => {
  const ruleAuditOf = async (ticketId: number) =>
    (await readAllAudits(ticketId)).find((audit) => audit.via.channel === 'rule') as Audit;
  let tier: Group;
  let secondAgent: User;

  beforeAll(async () => {
    secondAgent = await createUser({ name: 'Bo Lind', email: 'bo@relaydesk.test', role: 'agent' }, now);
    tier = await createGroup({ name: 'Notified tier' }, now);
    await addGroupMember({ user_id: agent.id, group_id: tier.id }, now);
    await addGroupMember({ user_id: secondAgent.id, group_id: tier.id }, now);
    await createRule(
      'trigger',
      {
        title: 'Acknowledge',
        conditions: {
          all: [
            { field: 'update_type', operator: 'is', value: 'Create' },
            { field: 'current_tags', operator: 'includes', value: 'notify' },
          ],
        },
        actions: [
          { field: 'group_id', value: String(tier.id) },
          {
            field: 'notification_user',
            value: [
              'requester_id',
              'Received: {{ticket.title}}',
              'Hi {{ticket.requester.first_name}}, "{{ticket.title}}" is #{{ticket.id}}.',
            ],
          },
          {
            field: 'notification_group',
            value: ['group_id', 'New in {{ticket.group.name}}', '{{ticket.latest_comment}}'],
          },
          { field: 'notification_webhook', value: ['01JWEBHOOK', '{"title": "{{ticket.title}}"}'] },
        ],
      },
      now,
    );
  });

  const notifiedTicket = (subject: string) =>
    createTicket({
      caller: caller(),
      via: apiVia(),
      now,
      fields: { subject, tags: ['notify'] },
      requester: customer.id,
      comment: { body: 'It says "PC LOAD LETTER"' },
    });

  it('records each as an event of the one rule audit, rendered, with recipients resolved', async () => {
    const created = await notifiedTicket('Printer "jammed"');
    await deliver('ticket.created', created.audit);
    const audit = await ruleAuditOf(created.ticket.id);
    const notifications = audit.events.filter((event) => event.type === 'Notification');
    const via = {
      channel: 'rule',
      source: { from: { id: expect.any(Number), title: 'Acknowledge' }, to: {}, rel: 'trigger' },
    };
    expect(notifications).toEqual([
      {
        id: expect.any(Number),
        type: 'Notification',
        // The customer's address is unverified: none of what they wrote is echoed back to it.
        subject: 'Received: ',
        body: `Hi Cy, "" is #${created.ticket.id}.`,
        recipients: [customer.id],
        via,
      },
      {
        id: expect.any(Number),
        type: 'Notification',
        subject: 'New in Notified tier',
        body: 'It says "PC LOAD LETTER"',
        recipients: [agent.id, secondAgent.id],
        via,
      },
    ]);
    // Webhook bodies are JSON templates: placeholder output is escaped for a JSON string.
    expect(audit.events).toContainEqual({
      id: expect.any(Number),
      type: 'External',
      resource: '01JWEBHOOK',
      body: '{"title": "Printer \\"jammed\\""}',
      via,
    });
    expect(
      JSON.parse((audit.events.find((event) => event.type === 'External') as { body: string }).body),
    ).toEqual({
      title: 'Printer "jammed"',
    });
  });

  it('echoes the ticket to a requester whose address is verified', async () => {
    await updateUser(customer.id, { verified: true }, now);
    const created = await notifiedTicket('Toner');
    await deliver('ticket.created', created.audit);
    const audit = await ruleAuditOf(created.ticket.id);
    expect(audit.events).toContainEqual(
      expect.objectContaining({
        type: 'Notification',
        subject: 'Received: Toner',
        recipients: [customer.id],
      }),
    );
  });

  it('carries the public comment of the update when it notifies the requester and CCs', async () => {
    const rule = await createRule(
      'trigger',
      {
        title: 'Comment mail',
        conditions: {
          all: [
            { field: 'update_type', operator: 'is', value: 'Change' },
            { field: 'comment_is_public', operator: 'is', value: 'true' },
            { field: 'current_tags', operator: 'includes', value: 'commented' },
          ],
        },
        actions: [
          {
            field: 'notification_user',
            value: ['requester_and_ccs', 'Re: {{ticket.title}}', '{{ticket.latest_public_comment}}'],
          },
        ],
      },
      now,
    );
    const created = await newTicket('commented');
    const updated = await updateTicket({
      caller: caller(),
      ticketId: created.ticket.id,
      via: apiVia(),
      now: () => now,
      fields: {},
      collaborators: [secondAgent.id],
      comment: { body: 'Replaced the fuser', public: true },
    });
    await deliver('ticket.updated', updated.audit as Audit);
    const audit = await ruleAuditOf(created.ticket.id);
    const comment = updated.audit?.events.find((event) => event.type === 'Comment');
    expect(audit.events).toContainEqual(
      expect.objectContaining({
        type: 'Notification',
        body: 'Replaced the fuser',
        recipients: [customer.id, secondAgent.id],
        comment_id: comment?.id,
        via: expect.objectContaining({
          source: expect.objectContaining({ from: { id: rule.id, title: 'Comment mail' } }),
        }),
      }),
    );
  });
});

describe('mail to a requester whose address is unverified', () => {
  it("echoes an agent's comment but never the requester's own subject", async () => {
    const stranger = await createUser({ name: 'Sam', email: 'sam@unverified.test' }, now);
    await createRule(
      'trigger',
      {
        title: 'Tell the requester',
        conditions: {
          all: [
            { field: 'update_type', operator: 'is', value: 'Change' },
            { field: 'current_tags', operator: 'includes', value: 'echo-check' },
          ],
        },
        actions: [
          {
            field: 'notification_user',
            value: ['requester_id', 'Re: {{ticket.title}}', '{{ticket.latest_comment}}'],
          },
        ],
      },
      now,
    );
    const created = await createTicket({
      caller: caller(),
      via: apiVia(),
      now,
      fields: { subject: 'Buy cheap pills at spam.example', tags: ['echo-check'] },
      requester: stranger.id,
      comment: { body: 'Opened for them' },
    });
    const updated = await updateTicket({
      caller: caller(),
      ticketId: created.ticket.id,
      via: apiVia(),
      now: () => now,
      fields: {},
      comment: { body: 'We have reset your password.', public: true },
    });
    await deliver('ticket.updated', updated.audit as Audit);
    const audit = (await readAllAudits(created.ticket.id)).find((each) => each.via.channel === 'rule');
    expect(audit?.events).toContainEqual(
      expect.objectContaining({
        type: 'Notification',
        subject: 'Re: ',
        body: 'We have reset your password.',
        recipients: [stranger.id],
      }),
    );
  });
});

describe('after an automation', () => {
  it("runs the trigger cycle on an automation's audit, as Zendesk does", async () => {
    const created = await newTicket('vip');
    await deliver('ticket.created', created.audit);
    const byAutomation = await updateTicket({
      caller: caller(),
      ticketId: created.ticket.id,
      via: { channel: 'rule', source: { from: { id: 1, title: 'Nudge' }, to: {}, rel: 'automation' } },
      now: () => now,
      fields: { type: 'question' },
    });
    await deliver('ticket.updated', byAutomation.audit as Audit);
    // "Escalated tickets go to type incident" matches again after the automation changed the type.
    expect(await getTicket(created.ticket.id)).toMatchObject({ type: 'incident' });
  });
});

describe('a trigger that fails while it runs', () => {
  it('is reported on the audit, even when nothing else fired, and the message is not retried', async () => {
    const runaway = await createRule(
      'trigger',
      {
        title: 'Runaway template',
        conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'runaway' }] },
        actions: [
          {
            field: 'notification_user',
            // Parses, so it saves; rendering it exceeds the engine's memory limit.
            value: ['requester_id', 'Loop', '{% for i in (1..100000000) %}{{ i }}{% endfor %}'],
          },
        ],
      },
      now,
    );
    const created = await newTicket('runaway');
    await deliver('ticket.created', created.audit);
    const audit = (await readAllAudits(created.ticket.id)).find((each) => each.via.channel === 'rule');
    expect(audit?.events).toEqual([
      {
        id: expect.any(Number),
        type: 'RuleFailure',
        message: expect.stringContaining('notification_user: memory alloc limit exceeded'),
        via: {
          channel: 'rule',
          source: { from: { id: runaway.id, title: 'Runaway template' }, to: {}, rel: 'trigger' },
        },
      },
    ]);
  });
});
