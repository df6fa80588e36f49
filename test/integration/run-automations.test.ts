import { beforeAll, describe, expect, it } from 'vitest';
import { toTimestamp } from '../../shared/domain/clock.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { type Audit, apiVia, type TicketStatus } from '../../shared/domain/tickets/ticket.ts';
import { DEFAULT_AUTOMATIONS, seedDefaultAutomations } from '../../shared/setup/default-automations.ts';
import { listAllRules } from '../../shared/store/rules.ts';
import { candidateTicketPages } from '../../shared/store/tickets/automation-candidates.ts';
import { getAutomationRun } from '../../shared/store/tickets/automation-run-state.ts';
import { readAllAudits } from '../../shared/store/tickets/ticket-metrics.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { activeRules } from '../../shared/use-cases/rules/active-rules.ts';
import {
  advanceAutomationRun,
  planAutomationRun,
  runAutomationPass,
} from '../../shared/use-cases/rules/run-automations.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { refreshTicketMetrics } from '../../shared/use-cases/tickets/refresh-ticket-metrics.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';

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

/** A whole run at `now`, without the job's run state: what each test below exercises is the pass. */
const runAutomations = ({ now }: { now: string }) =>
  asFunction('run-automations', async () => {
    const automations = await activeRules('automation');
    return runAutomationPass({ run: planAutomationRun(automations, now), automations });
  });

/** One tick of the run-automations job, under that schedule's grants. */
const jobTick = (input: Parameters<typeof advanceAutomationRun>[0]) =>
  asFunction('run-automations', () => advanceAutomationRun(input));

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

describe('advanceAutomationRun (the job tick)', () => {
  const neverStop = () => false;

  it("runs each clock hour's run once; the next hour's tick starts a new one", async () => {
    const base = newBase();
    const ticketId = await ticketAt(base, 'solved');

    const first = await jobTick({ now: at(base, 97), shouldStop: neverStop });
    expect(first).toMatchObject({ result: 'worked', runAt: at(base, 97), outcome: { failed: [] } });
    expect(await statusOf(ticketId)).toBe('closed');
    expect(await getAutomationRun()).toMatchObject({ run_at: at(base, 97) });

    expect(await jobTick({ now: at(base, 97.9), shouldStop: neverStop })).toEqual({
      result: 'up-to-date',
    });
    const next = await jobTick({ now: at(base, 98.05), shouldStop: neverStop });
    expect(next).toMatchObject({ result: 'worked', runAt: at(base, 98.05) });
  });

  it('goes on from its checkpoint when an invocation runs short of time, at the same instant', async () => {
    const base = newBase();
    const solvedId = await ticketAt(base, 'solved');
    const pendingId = await ticketAt(base, 'pending');
    // Every partition read holds one of them; the tick is told to stop after its first page.
    const first = await jobTick({ now: at(base, 241), shouldStop: () => true });
    if (first.result !== 'worked') throw new Error(`expected work, got ${first.result}`);
    expect(first.outcome.next).toBeDefined();
    const stored = await getAutomationRun();
    expect(stored).toMatchObject({ run_at: at(base, 241), query: first.outcome.next?.query });

    // The next tick, a few minutes later, goes on with that run (same instant), not a new one.
    const rest: number[] = [];
    let tick = await jobTick({ now: at(base, 241.1), shouldStop: () => true });
    while (tick.result === 'worked') {
      expect(tick.runAt).toBe(at(base, 241));
      rest.push(...tick.outcome.fired.map((firing) => firing.ticketId));
      if (!tick.outcome.next) break;
      tick = await jobTick({ now: at(base, 241.1), shouldStop: () => true });
    }
    const firedOn = [...first.outcome.fired.map((firing) => firing.ticketId), ...rest];
    // Closed after 96 h solved; solved after 240 h pending; each exactly once over the ticks.
    expect(firedOn.filter((id) => id === solvedId)).toHaveLength(1);
    expect(firedOn.filter((id) => id === pendingId)).toHaveLength(1);
    expect(await statusOf(solvedId)).toBe('closed');
    expect(await statusOf(pendingId)).toBe('solved');
    expect(await jobTick({ now: at(base, 241.2), shouldStop: neverStop })).toEqual({
      result: 'up-to-date',
    });
  });

  it('lets one of two concurrent ticks work on the run; the other has nothing to do', async () => {
    const base = newBase();
    const ticketId = await ticketAt(base, 'solved');
    const ticks = await Promise.all([
      jobTick({ now: at(base, 97), shouldStop: neverStop }),
      jobTick({ now: at(base, 97), shouldStop: neverStop }),
    ]);
    expect(ticks.filter((tick) => tick.result === 'worked')).toHaveLength(1);
    expect(ticks.map((tick) => tick.result)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(busy|up-to-date)$/)]),
    );
    expect(await automationAudits(ticketId)).toHaveLength(1);
  });

  it("stamps an automation's audit no earlier than the ticket's last update", async () => {
    const base = newBase();
    const ticketId = await ticketAt(base, 'solved');
    // The run's instant is before an edit made while it went on (here: an internal note at 97.5 h).
    await updateTicket({
      caller: caller(),
      ticketId,
      via: apiVia(),
      now: () => at(base, 97.5),
      fields: {},
      comment: { body: 'Checked again', public: false },
    });
    // Planned wide (at 200 h) so the pass still reads the ticket, as a page read before the edit would.
    await asFunction('run-automations', async () => {
      const automations = await activeRules('automation');
      return runAutomationPass({
        run: { ...planAutomationRun(automations, at(base, 200)), run_at: at(base, 97.2) },
        automations,
      });
    });
    const [closing] = await automationAudits(ticketId);
    expect(closing?.created_at).toBe(at(base, 97.5));
    expect((await getTicket(ticketId))?.updated_at).toBe(at(base, 97.5));
  });
});

describe('candidateTicketPages', () => {
  const idsRead = async (query: Parameters<typeof candidateTicketPages>[0]) => {
    const ids: number[] = [];
    for await (const page of candidateTicketPages(query))
      ids.push(...page.tickets.map((ticket) => ticket.id));
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

  it("pages by key: reading on from a page's `next` gives the rest, and the last page has none", async () => {
    const base = newBase();
    const tickets = [
      await ticketAt(base, 'hold'),
      await ticketAt(base, 'hold'),
      await ticketAt(base, 'hold'),
    ];
    const query = { status: 'hold' as const, updatedAfter: at(base, -1) };
    const first = await candidateTicketPages(query, { pageSize: 2 }).next();
    if (first.done) throw new Error('no first page');
    expect(first.value.tickets.map((ticket) => ticket.id)).toEqual(tickets.slice(0, 2));
    const rest: number[] = [];
    let last: { next?: Record<string, unknown> } = first.value;
    for await (const page of candidateTicketPages(query, { startKey: first.value.next, pageSize: 2 })) {
      rest.push(...page.tickets.map((ticket) => ticket.id));
      last = page;
    }
    expect(rest).toEqual(tickets.slice(2));
    expect(last.next).toBeUndefined();
  });
});
