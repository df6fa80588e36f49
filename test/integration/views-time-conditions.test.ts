/**
 * Views with "hours since …" conditions on DynamoDB Local: tickets made and solved at chosen instants,
 * views run through the use case at chosen instants (and once through the API at the real clock),
 * execute and count agreeing. The Scan guard is installed for every integration test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as views } from '../../functions/api/views.ts';
import { toTimestamp } from '../../shared/domain/clock.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { apiVia, type TicketStatus } from '../../shared/domain/tickets/ticket.ts';
import type { ViewRecord } from '../../shared/domain/views/view.ts';
import { seedDefaultViews } from '../../shared/setup/default-views.ts';
import { listAllViews } from '../../shared/store/views.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { refreshTicketMetrics } from '../../shared/use-cases/tickets/refresh-ticket-metrics.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { countView, executeView } from '../../shared/use-cases/views/execute-view.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();

const HOUR = 3_600_000;
/** The instant the views are run at; tickets are made hours before it. */
const BASE = Date.parse('2026-03-02T09:00:00Z');
const at = (hours: number) => toTimestamp(new Date(BASE + hours * HOUR));

let admin: User;
let agent: User;
let customer: User;
const as = (user: User) => ({ userId: user.id, role: user.role, email: user.email ?? '' });

/** Ticket ids by what happened to them, relative to BASE. */
const tickets = {
  /** Created 50 h before, solved 30 h before. */
  solvedThirtyHoursAgo: 0,
  /** Created 10 h before, solved 5 h before. */
  solvedFiveHoursAgo: 0,
  /** Created 300 h before, solved 200 h before. */
  solvedLastMonth: 0,
  /** Created (open) 1 h before. */
  openedAnHourAgo: 0,
  /** Created (open) 3 h before. */
  openedThreeHoursAgo: 0,
};

/** A ticket created open at `createdAt` hours, then moved to `status` at `changedAt`, its metrics computed. */
const ticketAt = async (createdAt: number, status?: { status: TicketStatus; at: number }) => {
  const { ticket } = await createTicket({
    caller: as(agent),
    via: apiVia(),
    now: at(createdAt),
    fields: { subject: `Created at ${createdAt} h`, status: 'open', assignee_id: agent.id },
    requester: customer.id,
    comment: { body: 'Please help' },
  });
  if (status) {
    await updateTicket({
      caller: as(agent),
      ticketId: ticket.id,
      via: apiVia(),
      now: () => at(status.at),
      fields: { status: status.status },
    });
  }
  // The metrics consumer does this after every change in the running system.
  await refreshTicketMetrics(ticket.id);
  return ticket.id;
};

const postView = async (body: unknown) =>
  callApi(views, { method: 'POST', path: '/api/v2/views.json', caller: as(admin), body: { view: body } });

const createdView = async (body: Record<string, unknown>): Promise<ViewRecord> => {
  const response = await postView(body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  const view = (await listAllViews()).find((each) => each.id === response.body.view.id);
  if (!view) throw new Error('the created view was not stored');
  return view;
};

/** The view's ticket ids at `now` through the use case, checking that its count agrees. */
const idsAt = async (view: ViewRecord, now: string): Promise<number[]> => {
  const result = await executeView(view, as(agent), now);
  const ids = result.tickets.map((facts) => facts.ticket.id);
  expect(await countView(view, as(agent), now)).toEqual({ value: ids.length, pretty: String(ids.length) });
  return ids;
};

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

beforeAll(async () => {
  const setup = at(-400);
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, setup);
  agent = await createUser({ name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' }, setup);
  customer = await createUser({ name: 'Cy', email: 'cy@customer.test' }, setup);
  tickets.solvedLastMonth = await ticketAt(-300, { status: 'solved', at: -200 });
  tickets.solvedThirtyHoursAgo = await ticketAt(-50, { status: 'solved', at: -30 });
  tickets.solvedFiveHoursAgo = await ticketAt(-10, { status: 'solved', at: -5 });
  tickets.openedThreeHoursAgo = await ticketAt(-3);
  tickets.openedAnHourAgo = await ticketAt(-1);
}, 60_000);

describe('views with time conditions', () => {
  it('lists tickets solved more than 24 hours ago, measured from the ticket metrics', async () => {
    const view = await createdView({
      title: 'Solved more than a day ago',
      all: [
        { field: 'status', operator: 'is', value: 'solved' },
        { field: 'SOLVED', operator: 'greater_than', value: '24' },
      ],
      output: { sort_by: 'nice_id', sort_order: 'asc' },
    });
    expect(await idsAt(view, at(0))).toEqual([tickets.solvedLastMonth, tickets.solvedThirtyHoursAgo]);
    // 20 hours on, the ticket solved 5 hours before BASE has been solved for 25.
    expect(await idsAt(view, at(20))).toEqual([
      tickets.solvedLastMonth,
      tickets.solvedThirtyHoursAgo,
      tickets.solvedFiveHoursAgo,
    ]);
  });

  it('lists tickets created less than 2 hours ago, measured from the ticket itself', async () => {
    const view = await createdView({
      title: 'Created in the last two hours',
      all: [
        { field: 'status', operator: 'less_than', value: 'solved' },
        { field: 'hours_since_created', operator: 'less_than', value: 2 },
      ],
    });
    expect(await idsAt(view, at(0))).toEqual([tickets.openedAnHourAgo]);
    // Two whole hours after its creation it is no longer "less than 2".
    expect(await idsAt(view, at(1))).toEqual([]);
  });

  it('reads only the update range "hours since update" allows, on both sides', async () => {
    const recent = await createdView({
      title: 'Updated in the last four hours',
      all: [
        { field: 'status', operator: 'less_than', value: 'closed' },
        { field: 'updated_at', operator: 'less_than', value: '4' },
      ],
    });
    expect(sorted(await idsAt(recent, at(0)))).toEqual([
      tickets.openedThreeHoursAgo,
      tickets.openedAnHourAgo,
    ]);
    const stale = await createdView({
      title: 'Solved, untouched for a day',
      all: [
        { field: 'status', operator: 'is', value: 'solved' },
        { field: 'hours_since_update', operator: 'greater_than', value: '24' },
      ],
    });
    expect(sorted(await idsAt(stale, at(0)))).toEqual([
      tickets.solvedLastMonth,
      tickets.solvedThirtyHoursAgo,
    ]);
    const exactHour = await createdView({
      title: 'Updated exactly 5 hours ago',
      all: [
        { field: 'status', operator: 'less_than', value: 'closed' },
        { field: 'updated_at', operator: 'is', value: '5' },
      ],
    });
    expect(await idsAt(exactHour, at(0))).toEqual([tickets.solvedFiveHoursAgo]);
  });

  it('runs the seeded "recently" views by hours since update and since solved', async () => {
    await seedDefaultViews({
      groupIds: { 'Tier 1': 1, 'Tier 2': 2, 'Tier 3': 3 },
      adminId: admin.id,
      now: at(0),
    });
    const seeded = await listAllViews();
    const named = (title: string) => {
      const view = seeded.find((each) => each.title === title);
      if (!view) throw new Error(`${title} was not seeded`);
      return view;
    };
    // Sorted by when they were solved, most recent first.
    expect(await idsAt(named('Recently solved tickets'), at(0))).toEqual([
      tickets.solvedFiveHoursAgo,
      tickets.solvedThirtyHoursAgo,
    ]);
    expect(sorted(await idsAt(named('Recently updated tickets'), at(0)))).toEqual([
      tickets.solvedFiveHoursAgo,
      tickets.openedThreeHoursAgo,
      tickets.openedAnHourAgo,
    ]);
    // A week after BASE, nothing made here was solved or updated recently.
    expect(await idsAt(named('Recently solved tickets'), at(168))).toEqual([]);
    expect(await idsAt(named('Recently updated tickets'), at(168))).toEqual([]);
  });

  it('measures to the request’s instant through the API, execute and count alike', async () => {
    const view = await createdView({
      title: 'Solved more than a day ago (API)',
      all: [
        { field: 'status', operator: 'is', value: 'solved' },
        { field: 'SOLVED', operator: 'greater_than', value: '24' },
      ],
      output: { columns: ['nice_id', 'solved'], sort_by: 'nice_id', sort_order: 'asc' },
    });
    // BASE is months before any run of this test: every solved ticket has been solved for more than a day.
    const solvedIds = [tickets.solvedLastMonth, tickets.solvedThirtyHoursAgo, tickets.solvedFiveHoursAgo];
    const get = (path: string, query?: Record<string, string>) =>
      callApi(views, { method: 'GET', path, caller: as(agent), ...(query ? { query } : {}) });
    const executed = await get(`/api/v2/views/${view.id}/execute.json`);
    expect(executed.status).toBe(200);
    expect(executed.body.rows.map((row: { ticket: { id: number } }) => row.ticket.id)).toEqual(solvedIds);
    expect(executed.body.rows[0].solved).toBe(at(-200));
    const counted = await get(`/api/v2/views/${view.id}/count.json`);
    expect(counted.body.view_count).toMatchObject({
      value: solvedIds.length,
      pretty: String(solvedIds.length),
    });
    const many = await get('/api/v2/views/count_many.json', { ids: String(view.id) });
    expect(many.body.view_counts).toEqual([
      expect.objectContaining({ view_id: view.id, value: solvedIds.length }),
    ]);
  });
});
