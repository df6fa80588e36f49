import { beforeAll, describe, expect, it } from 'vitest';
import { toTimestamp } from '../../shared/domain/clock.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { type Audit, apiVia, type TicketStatus } from '../../shared/domain/tickets/ticket.ts';
import { DEFAULT_AUTOMATIONS, seedDefaultAutomations } from '../../shared/setup/default-automations.ts';
import { listAllRules } from '../../shared/store/rules.ts';
import { candidateTicketPages } from '../../shared/store/tickets/automation-candidates.ts';
import { readAllAudits } from '../../shared/store/tickets/ticket-metrics.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { runAutomations } from '../../shared/use-cases/rules/run-automations.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { refreshTicketMetrics } from '../../shared/use-cases/tickets/refresh-ticket-metrics.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();

const HOUR = 3_600_000;
let agent: User;
let customer: User;
const caller = () => ({ userId: agent.id, role: agent.role, email: agent.email ?? '' });

/**
 * Each test works at its own base instant, a thousand hours after the previous one's, so that a run
 * in one test never lands in a window of another test's tickets that it asserts about.
 */
let nextBase = Date.parse('2026-01-05T09:00:00Z');
const newBase = () => {
  nextBase += 1000 * HOUR;
  return nextBase;
};
const at = (base: number, hours: number) => toTimestamp(new Date(base + hours * HOUR));

/** A ticket created and moved to `status` at `base`, assigned to the agent. */
const ticketAt = async (base: number, status: TicketStatus): Promise<number> => {
  const created = await createTicket({
    caller: caller(),
    via: apiVia(),
    now: at(base, 0),
    fields: { subject: 'Printer on fire' },
    requester: customer.id,
    comment: { body: 'Smoke everywhere' },
  });
  await updateTicket({
    caller: caller(),
    ticketId: created.ticket.id,
    via: apiVia(),
    now: () => at(base, 0),
    fields: { assignee_id: agent.id, status },
    comment: { body: 'Done on our side', public: true },
  });
  return created.ticket.id;
};

const automationAudits = async (ticketId: number): Promise<Audit[]> =>
  (await readAllAudits(ticketId)).filter((audit) => audit.via.source.rel === 'automation');

const statusOf = async (ticketId: number) => (await getTicket(ticketId))?.status;

const automationNamed = async (title: string) => {
  const found = (await listAllRules('automation')).find((rule) => rule.title === title);
  if (!found) throw new Error(`no automation ${title}`);
  return found;
};

beforeAll(async () => {
  const now = at(nextBase, 0);
  agent = await createUser({ name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' }, now);
  customer = await createUser({ name: 'Cy Customer', email: 'cy@customer.test', verified: true }, now);
  await seedDefaultAutomations({
    adminId: agent.id,
    groupIds: { 'Tier 1': 1, 'Tier 2': 2, 'Tier 3': 3 },
    now,
  });
});

describe('default automations', () => {
  it('are seeded active, in order, marked default', async () => {
    const seeded = await listAllRules('automation');
    expect(seeded.map((rule) => [rule.title, rule.position, rule.active, rule.default])).toEqual(
      DEFAULT_AUTOMATIONS.map((automation, index) => [automation.title, index + 1, true, true]),
    );
  });
});

describe('runAutomations', () => {
  it('closes a solved ticket once more than 96 hours have passed, not before', async () => {
    const base = newBase();
    const ticketId = await ticketAt(base, 'solved');

    await runAutomations({ now: at(base, 96) });
    expect(await statusOf(ticketId)).toBe('solved');

    const outcome = await runAutomations({ now: at(base, 97) });
    expect(await statusOf(ticketId)).toBe('closed');
    const close = await automationNamed('Close ticket 4 days after status is set to solved');
    const [audit, ...more] = await automationAudits(ticketId);
    expect(more).toEqual([]);
    expect(audit?.via).toEqual({
      channel: 'rule',
      source: { from: { id: close.id, title: close.title }, to: {}, rel: 'automation' },
    });
    expect(audit?.created_at).toBe(at(base, 97));
    expect(audit?.events).toEqual([
      expect.objectContaining({
        type: 'Change',
        field_name: 'status',
        previous_value: 'solved',
        value: 'closed',
      }),
    ]);
    expect(outcome.fired).toContainEqual({ ticketId, automationId: close.id, auditId: audit?.id });
    expect(outcome.failed).toEqual([]);
  });

  it('leaves closed tickets alone', async () => {
    const base = newBase();
    const ticketId = await ticketAt(base, 'solved');
    await runAutomations({ now: at(base, 97) });
    const before = await getTicket(ticketId);
    expect(before?.status).toBe('closed');

    const outcome = await runAutomations({ now: at(base, 500) });
    expect(await getTicket(ticketId)).toEqual(before);
    expect(outcome.fired.map((firing) => firing.ticketId)).not.toContain(ticketId);
  });

  it('reminds the requester of a pending ticket at 72 hours, once', async () => {
    const base = newBase();
    const ticketId = await ticketAt(base, 'pending');
    const reminder = await automationNamed('Pending notification 72 hours');

    await runAutomations({ now: at(base, 71.5) });
    expect(await automationAudits(ticketId)).toEqual([]);

    await runAutomations({ now: at(base, 72.2) });
    const [audit, ...more] = await automationAudits(ticketId);
    expect(more).toEqual([]);
    expect(audit?.via.source.from).toEqual({ id: reminder.id, title: reminder.title });
    expect(audit?.events).toEqual([
      expect.objectContaining({
        type: 'Notification',
        recipients: [customer.id],
        subject: 'Waiting for your reply: Printer on fire',
        body: expect.stringContaining('Hello Cy,\n\nWe are waiting for your reply on request #'),
      }),
    ]);
    expect(await statusOf(ticketId)).toBe('pending');

    // Later in the same hour of "hours since pending is 72": already reminded.
    await runAutomations({ now: at(base, 72.9) });
    expect(await automationAudits(ticketId)).toHaveLength(1);
  });

  it('solves a pending ticket after 240 hours pending', async () => {
    const base = newBase();
    const ticketId = await ticketAt(base, 'pending');

    await runAutomations({ now: at(base, 240.5) });
    expect(await statusOf(ticketId)).toBe('pending');

    await runAutomations({ now: at(base, 241) });
    expect(await statusOf(ticketId)).toBe('solved');
    const [audit] = await automationAudits(ticketId);
    expect(audit?.via.source.from).toMatchObject({ title: 'Solve pending tickets after 7 more days' });
  });

  it('changes nothing when run again in the same hour, even concurrently', async () => {
    const base = newBase();
    const pendingId = await ticketAt(base, 'pending');
    const solvedId = await ticketAt(base + 25 * HOUR, 'solved');

    const runs = await Promise.all([
      runAutomations({ now: at(base, 72) }),
      runAutomations({ now: at(base, 72) }),
    ]);
    const firedOn = (ticketId: number) =>
      runs.flatMap((run) => run.fired).filter((firing) => firing.ticketId === ticketId);
    expect(firedOn(pendingId)).toHaveLength(1);
    expect(await automationAudits(pendingId)).toHaveLength(1);

    const closing = at(base + 25 * HOUR, 97);
    await runAutomations({ now: closing });
    const closed = await getTicket(solvedId);
    expect(closed?.status).toBe('closed');
    await runAutomations({ now: closing });
    expect(await getTicket(solvedId)).toEqual(closed);
    expect(await automationAudits(solvedId)).toHaveLength(1);
    expect(await automationAudits(pendingId)).toHaveLength(1);
  });

  it('measures hours from the metrics as of the latest update, even when the stored ones lag behind', async () => {
    const base = newBase();
    const ticketId = await ticketAt(base, 'solved');
    await refreshTicketMetrics(ticketId);
    // Reopened and solved again later: stored metrics still say "solved at base".
    await updateTicket({
      caller: caller(),
      ticketId,
      via: apiVia(),
      now: () => at(base, 50),
      fields: { status: 'open' },
    });
    await updateTicket({
      caller: caller(),
      ticketId,
      via: apiVia(),
      now: () => at(base, 60),
      fields: { status: 'solved' },
    });

    await runAutomations({ now: at(base, 100) });
    expect(await statusOf(ticketId)).toBe('solved');
    await runAutomations({ now: at(base, 157) });
    expect(await statusOf(ticketId)).toBe('closed');
  });
});

describe('candidateTicketPages', () => {
  const idsRead = async (query: Parameters<typeof candidateTicketPages>[0]) => {
    const ids: number[] = [];
    for await (const page of candidateTicketPages(query)) ids.push(...page.map((ticket) => ticket.id));
    return ids;
  };

  it('reads one status partition within the update-time range, bounds as planned', async () => {
    const base = newBase();
    const early = await ticketAt(base, 'open');
    const late = await ticketAt(base + 10 * HOUR, 'open');
    const other = await ticketAt(base + 10 * HOUR, 'pending');
    const ours = (ids: number[]) => ids.filter((id) => [early, late, other].includes(id));

    expect(
      ours(await idsRead({ status: 'open', updatedAfter: at(base, 0), updatedAtOrBefore: at(base, 10) })),
    ).toEqual([late]);
    expect(
      ours(await idsRead({ status: 'open', updatedAfter: at(base, -1), updatedAtOrBefore: at(base, 9) })),
    ).toEqual([early]);
    expect(ours(await idsRead({ status: 'open', updatedAfter: at(base, -1) }))).toEqual([early, late]);
    expect(ours(await idsRead({ status: 'open', updatedAtOrBefore: at(base, 0) }))).toEqual([early]);
    expect(ours(await idsRead({ status: 'pending', updatedAfter: at(base, 0) }))).toEqual([other]);
  });
});
