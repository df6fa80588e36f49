import type { SQSRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as applyTriggers } from '../../functions/events/apply-triggers.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { type Audit, apiVia } from '../../shared/domain/tickets/ticket.ts';
import { readAllAudits } from '../../shared/store/tickets/ticket-metrics.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { createRule } from '../../shared/use-cases/rules/manage-rules.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
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
  expect(await applyTriggers({ Records: [record(detailType, audit)] }, lambdaContext())).toEqual({
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
