/**
 * A CSAT rating is a trigger condition: the rating's audit (a `satisfaction_score` Change) runs the
 * trigger cycle like any update, so "bad rating → reopen and notify the assignee's group" works.
 */
import type { SQSRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as satisfactionRatings } from '../../functions/api/satisfaction-ratings.ts';
import { handler as applyTriggers } from '../../functions/events/apply-triggers.ts';
import type { Group } from '../../shared/domain/directory/group.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { type Audit, apiVia } from '../../shared/domain/tickets/ticket.ts';
import { readAllAudits } from '../../shared/store/tickets/ticket-metrics.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { addGroupMember, createGroup } from '../../shared/use-cases/groups/manage-groups.ts';
import { createRule } from '../../shared/use-cases/rules/manage-rules.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi, lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';
import { ticketEventRecord } from '../support/sqs-event.ts';

useTestTables();

const now = '2026-11-25T09:00:00.000Z';
let assignee: User;
let teammate: User;
let outsider: User;
let customer: User;
let billing: Group;

const caller = (user: User) => ({ userId: user.id, role: user.role, email: user.email ?? '' });

/** What the outbox publishes for an audit, as the apply-triggers queue receives it. */
const updatedRecord = (audit: Audit): SQSRecord =>
  ticketEventRecord('ticket.updated', {
    version: 1,
    ticket_id: audit.ticket_id,
    audit_id: audit.id,
    author_id: audit.author_id,
    via: { channel: audit.via.channel },
    created_at: audit.created_at,
    changes: [],
  });

const solvedTicket = async () => {
  const { ticket } = await createTicket({
    caller: caller(assignee),
    via: apiVia(),
    now,
    fields: { subject: 'Invoice twice', status: 'solved', assignee_id: assignee.id, group_id: billing.id },
    requester: customer.id,
    comment: { body: 'Refunded the duplicate', author_id: assignee.id },
  });
  return ticket.id;
};

/** The requester rates through the API; returns the audit that recorded it. */
const rate = async (ticketId: number, rating: Record<string, unknown>): Promise<Audit> => {
  const response = await callApi(satisfactionRatings, {
    method: 'POST',
    path: `/api/v2/tickets/${ticketId}/satisfaction_rating.json`,
    caller: caller(customer),
    body: { satisfaction_rating: rating },
  });
  expect(response.status).toBe(200);
  const audit = (await readAllAudits(ticketId)).at(-1);
  expect(audit?.events).toContainEqual(
    expect.objectContaining({ type: 'Change', field_name: 'satisfaction_score' }),
  );
  return audit as Audit;
};

const runTriggerCycle = async (audit: Audit) =>
  expect(
    await asFunction('apply-triggers', () =>
      applyTriggers({ Records: [updatedRecord(audit)] }, lambdaContext()),
    ),
  ).toEqual({
    batchItemFailures: [],
  });

beforeAll(async () => {
  assignee = await createUser({ name: 'Aki', email: 'aki@desk.test', role: 'agent' }, now);
  teammate = await createUser({ name: 'Tove', email: 'tove@desk.test', role: 'agent' }, now);
  outsider = await createUser({ name: 'Olu', email: 'olu@desk.test', role: 'agent' }, now);
  customer = await createUser({ name: 'Cy', email: 'cy@customer.test' }, now);
  billing = await createGroup({ name: 'Billing' }, now);
  const other = await createGroup({ name: 'Hardware' }, now);
  await addGroupMember({ user_id: assignee.id, group_id: billing.id }, now);
  await addGroupMember({ user_id: teammate.id, group_id: billing.id }, now);
  await addGroupMember({ user_id: outsider.id, group_id: other.id }, now);
  await createRule(
    'trigger',
    {
      title: 'Bad rating: reopen and tell the group',
      conditions: {
        all: [],
        any: [
          { field: 'satisfaction_score', operator: 'value', value: 'bad' },
          { field: 'satisfaction_score', operator: 'value', value: 'bad_with_comment' },
        ],
      },
      actions: [
        { field: 'status', value: 'open' },
        {
          field: 'notification_group',
          value: ['group_id', 'Bad rating on #{{ticket.id}}', '{{ticket.title}} was rated bad.'],
        },
      ],
    },
    now,
  );
});

describe('a trigger on the CSAT rating', () => {
  it("reopens the ticket and notifies the assignee's group once a bad rating is recorded", async () => {
    const ticketId = await solvedTicket();
    const ratingAudit = await rate(ticketId, {
      score: 'bad',
      comment: 'Still charged twice',
      reason_code: 6,
    });
    expect((await getTicket(ticketId))?.status).toBe('solved');

    await runTriggerCycle(ratingAudit);

    const ticket = await getTicket(ticketId);
    expect(ticket?.status).toBe('open');
    // The rating stays on the reopened ticket.
    expect(ticket?.satisfaction_rating).toMatchObject({ score: 'bad', comment: 'Still charged twice' });
    const ruleAudit = (await readAllAudits(ticketId)).at(-1) as Audit;
    expect(ruleAudit.via).toMatchObject({
      channel: 'rule',
      source: { from: { title: 'Bad rating: reopen and tell the group' }, rel: 'trigger' },
    });
    expect(ruleAudit.events).toContainEqual(
      expect.objectContaining({
        type: 'Change',
        field_name: 'status',
        value: 'open',
        previous_value: 'solved',
      }),
    );
    const notifications = ruleAudit.events.filter((event) => event.type === 'Notification');
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      subject: `Bad rating on #${ticketId}`,
      body: expect.stringContaining('Invoice twice was rated bad.'),
    });
    const recipients = notifications[0]?.type === 'Notification' ? notifications[0].recipients : [];
    expect([...recipients].sort((a, b) => a - b)).toEqual([assignee.id, teammate.id].sort((a, b) => a - b));
  });

  it('fires on a bad rating without a comment too', async () => {
    const ticketId = await solvedTicket();
    await runTriggerCycle(await rate(ticketId, { score: 'bad' }));
    expect((await getTicket(ticketId))?.status).toBe('open');
  });

  it('leaves a ticket rated good alone', async () => {
    const ticketId = await solvedTicket();
    const ratingAudit = await rate(ticketId, { score: 'good', comment: 'Quick refund' });
    await runTriggerCycle(ratingAudit);
    expect((await getTicket(ticketId))?.status).toBe('solved');
    expect((await readAllAudits(ticketId)).at(-1)?.id).toBe(ratingAudit.id);
  });

  it('fires when a good rating is changed to bad', async () => {
    const ticketId = await solvedTicket();
    await runTriggerCycle(await rate(ticketId, { score: 'good' }));
    await runTriggerCycle(await rate(ticketId, { score: 'bad', comment: 'Charged again' }));
    expect((await getTicket(ticketId))?.status).toBe('open');
  });
});
