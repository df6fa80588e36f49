import { beforeAll, describe, expect, it } from 'vitest';
import { handler as views } from '../../functions/api/views.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { apiVia, type TicketPriority, type TicketStatus } from '../../shared/domain/tickets/ticket.ts';
import { defaultViews, seedDefaultViews } from '../../shared/setup/default-views.ts';
import { createTicketField } from '../../shared/use-cases/fields/manage-fields.ts';
import { addGroupMember, createGroup } from '../../shared/use-cases/groups/manage-groups.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { UNASSIGNED_TICKET_NULLS, validateAgainst } from '../support/openapi.ts';
import { inProcessZendeskClient, type Loose } from '../support/zendesk-client.ts';

useTestTables();
const PUBLIC_URL = 'https://help.example.test';
process.env.PUBLIC_URL = PUBLIC_URL;

const NOW = '2026-02-02T09:00:00Z';
/** Zendesk's document types these as objects and strings; they are null on views that have none. */
const VIEW_GAPS = { nullable: { ViewObject: ['restriction', 'description'] } };
const TICKET_GAPS = { nullable: { TicketObject: [...UNASSIGNED_TICKET_NULLS, 'priority'] } };
const BULK = 120;
/** Unassigned tickets on hold that the ticket-field column test adds. */
const ORDERS_ON_HOLD = ['B-2', 'A-1'];

let admin: User;
let tierAgent: User;
let otherAgent: User;
let customer: User;
let tier1: number;
let tier2: number;
let tier3: number;
/** Tickets assigned to the tier agent, in creation order: [open/low, pending/urgent, new/high]. */
const mine: number[] = [];
let othersPending: number;

const as = (user: User) => ({ userId: user.id, role: user.role, email: user.email ?? '' });

const get = (user: User, path: string, query?: Record<string, string | number>) =>
  callApi(views, { method: 'GET', path, caller: as(user), ...(query ? { query } : {}) });

const postView = (body: unknown, user: User = admin) =>
  callApi(views, { method: 'POST', path: '/api/v2/views.json', caller: as(user), body: { view: body } });

const createdView = async (body: unknown): Promise<number> => {
  const response = await postView(body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.view.id;
};

const newTicket = (fields: {
  subject: string;
  status?: TicketStatus;
  priority?: TicketPriority;
  assignee_id?: number;
  group_id?: number;
  tags?: string[];
}) =>
  createTicket({
    caller: as(admin),
    via: apiVia(),
    now: NOW,
    fields,
    requester: customer.id,
    comment: { body: `About ${fields.subject}` },
  });

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  tierAgent = await createUser({ name: 'Tia', email: 'tia@relaydesk.test', role: 'agent' }, NOW);
  otherAgent = await createUser({ name: 'Oto', email: 'oto@relaydesk.test', role: 'agent' }, NOW);
  customer = await createUser({ name: 'Cy', email: 'cy@customer.test' }, NOW);
  tier1 = (await createGroup({ name: 'Tier 1' }, NOW)).id;
  tier2 = (await createGroup({ name: 'Tier 2' }, NOW)).id;
  tier3 = (await createGroup({ name: 'Tier 3' }, NOW)).id;
  await addGroupMember({ user_id: tierAgent.id, group_id: tier1 }, NOW);
  await addGroupMember({ user_id: otherAgent.id, group_id: tier2 }, NOW);

  for (let index = 1; index <= BULK; index++) {
    await newTicket({ subject: `Bulk ${index}`, status: 'open', group_id: tier1, tags: ['bulk'] });
  }
  for (const [subject, status, priority] of [
    ['Mine low', 'open', 'low'],
    ['Mine urgent', 'pending', 'urgent'],
    ['Mine high', 'new', 'high'],
  ] as const) {
    mine.push((await newTicket({ subject, status, priority, assignee_id: tierAgent.id })).ticket.id);
  }
  othersPending = (await newTicket({ subject: 'Theirs', status: 'pending', assignee_id: otherAgent.id }))
    .ticket.id;
  await newTicket({ subject: 'Mine solved', status: 'solved', assignee_id: tierAgent.id });
}, 120_000);

const BULK_VIEW = {
  title: 'Open bulk tickets',
  all: [
    { field: 'status', operator: 'is', value: 'open' },
    { field: 'current_tags', operator: 'includes', value: 'bulk' },
  ],
  output: {
    columns: ['nice_id', 'description', 'status', 'requester'],
    sort_by: 'nice_id',
    sort_order: 'asc',
  },
};

const MINE_VIEW = {
  title: 'My unsolved',
  all: [
    { field: 'status', operator: 'less_than', value: 'solved' },
    { field: 'assignee_id', operator: 'is', value: 'current_user' },
  ],
  output: {
    columns: ['description', 'priority', 'updated_requester'],
    sort_by: 'priority',
    sort_order: 'desc',
  },
};

describe('view definitions', () => {
  it('creates, shows, updates and deletes a view as ViewObject', async () => {
    const response = await postView({
      title: 'Urgent open',
      description: 'Needs attention now',
      all: [{ field: 'status', operator: 'is', value: 'open' }],
      any: [{ field: 'priority', operator: 'is', value: 'urgent' }],
      output: {
        columns: ['status', 'subject', 'assignee', 'updated'],
        group_by: 'assignee',
        sort_by: 'updated_at',
      },
    });
    expect(response.status).toBe(201);
    const view = response.body.view;
    expect(view).toMatchObject({
      title: 'Urgent open',
      description: 'Needs attention now',
      active: true,
      default: false,
      restriction: null,
      url: `${PUBLIC_URL}/api/v2/views/${view.id}.json`,
      conditions: {
        all: [{ field: 'status', operator: 'is', value: 'open' }],
        any: [{ field: 'priority', operator: 'is', value: 'urgent' }],
      },
      execution: {
        group_by: 'assignee',
        group_order: 'asc',
        sort_by: 'updated',
        sort_order: 'desc',
        columns: [
          { id: 'status', title: 'Status' },
          { id: 'description', title: 'Subject' },
          { id: 'assignee', title: 'Assignee' },
          { id: 'updated', title: 'Updated' },
        ],
      },
    });
    expect(validateAgainst('ViewResponse', response.body, VIEW_GAPS)).toEqual([]);

    const updated = await callApi(views, {
      method: 'PUT',
      path: `/api/v2/views/${view.id}.json`,
      caller: as(admin),
      body: { view: { title: 'Urgent open tickets', active: false, output: { columns: ['nice_id'] } } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.view).toMatchObject({
      title: 'Urgent open tickets',
      active: false,
      position: view.position,
      conditions: view.conditions,
      execution: { columns: [{ id: 'nice_id', title: 'ID' }], group_by: 'assignee', sort_by: 'updated' },
    });

    const shown = await get(tierAgent, `/api/v2/views/${view.id}.json`);
    expect(shown.body.view.title).toBe('Urgent open tickets');
    const active = await get(admin, '/api/v2/views/active.json');
    expect(active.body.views.map((each: { id: number }) => each.id)).not.toContain(view.id);
    const inactive = await get(admin, '/api/v2/views.json', { active: 'false' });
    expect(inactive.body.views.map((each: { id: number }) => each.id)).toContain(view.id);
    expect(validateAgainst('ViewsResponse', inactive.body, VIEW_GAPS)).toEqual([]);

    expect((await postView({ ...BULK_VIEW, title: 'Agent view' }, tierAgent)).status).toBe(403);
    const deleted = await callApi(views, {
      method: 'DELETE',
      path: `/api/v2/views/${view.id}.json`,
      caller: as(admin),
    });
    expect(deleted.status).toBe(204);
    expect((await get(admin, `/api/v2/views/${view.id}.json`)).status).toBe(404);
  });

  it.each([
    {
      name: 'an all without a narrowing field',
      body: { title: 'x', all: [{ field: 'priority', operator: 'is', value: 'urgent' }] },
      key: 'conditions',
      description: "Conditions: 'all' must test one of status, type, group_id, assignee_id, requester_id",
    },
    {
      name: 'an unknown field',
      body: {
        title: 'x',
        all: [
          { field: 'status', operator: 'is', value: 'open' },
          { field: 'mood', operator: 'is', value: 'x' },
        ],
      },
      key: 'conditions',
      description: "Condition 2 in all: unknown field 'mood'",
    },
    {
      name: 'an unknown operator',
      body: { title: 'x', all: [{ field: 'status', operator: 'roughly', value: 'open' }] },
      key: 'conditions',
      description: "Condition 1 in all: unknown operator 'roughly'",
    },
    {
      name: 'a trigger-only operator',
      body: { title: 'x', all: [{ field: 'status', operator: 'changed' }] },
      key: 'conditions',
      description: "Condition 1 in all: operator 'changed' is only valid in triggers",
    },
    {
      name: 'a time condition in any',
      body: {
        title: 'x',
        all: [{ field: 'status', operator: 'is', value: 'open' }],
        any: [{ field: 'NEW', operator: 'greater_than', value: 4 }],
      },
      key: 'conditions',
      description: "Condition 1 in any: field 'NEW' is only valid in 'all'",
    },
    {
      name: 'a time condition with hours that are not a number',
      body: {
        title: 'x',
        all: [
          { field: 'status', operator: 'is', value: 'open' },
          { field: 'SOLVED', operator: 'less_than', value: 'a week' },
        ],
      },
      key: 'conditions',
      description: `Condition 2 in all: invalid value '"a week"' for field 'SOLVED'`,
    },
    {
      name: 'an unknown column',
      body: { ...BULK_VIEW, output: { columns: ['status', 'brand'] } },
      key: 'columns',
      description: "Columns: unknown column 'brand'",
    },
    {
      name: 'a ticket field column that does not exist',
      body: { ...BULK_VIEW, output: { columns: [987654] } },
      key: 'columns',
      description: 'Columns: unknown column ticket field 987654',
    },
    {
      name: 'a sort by a column Zendesk cannot sort by',
      body: { ...BULK_VIEW, output: { sort_by: 'description' } },
      key: 'sort_by',
      description: "sort_by: tickets cannot be ordered by 'description'",
    },
    {
      name: 'a blank title',
      body: { ...BULK_VIEW, title: ' ' },
      key: 'title',
      description: 'Title: cannot be blank',
    },
    {
      name: 'a restriction to a group that does not exist',
      body: { ...BULK_VIEW, restriction: { type: 'Group', ids: [999999] } },
      key: 'restriction',
      description: 'Restriction: no group with id 999999',
    },
  ])('rejects $name with a 422 naming it', async ({ body, key, description }) => {
    const response = await postView(body);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: 'RecordInvalid', description: 'Record validation errors' });
    expect(response.body.details[key]).toContainEqual(expect.objectContaining({ description }));
  });

  it('reorders views, the listed ones first', async () => {
    const first = await createdView({ ...BULK_VIEW, title: 'Reorder A' });
    const second = await createdView({ ...BULK_VIEW, title: 'Reorder B' });
    const response = await callApi(views, {
      method: 'PUT',
      path: '/api/v2/views/reorder.json',
      caller: as(admin),
      body: { view_order: [second, first] },
    });
    expect(response.status).toBe(200);
    expect(response.body.views.slice(0, 2).map((view: { id: number }) => view.id)).toEqual([second, first]);
    expect(response.body.views.map((view: { position: number }) => view.position)).toEqual(
      response.body.views.map((_: unknown, index: number) => index + 1),
    );
    const unknown = await callApi(views, {
      method: 'PUT',
      path: '/api/v2/views/reorder.json',
      caller: as(admin),
      body: { view_order: [first, 999999] },
    });
    expect(unknown.status).toBe(422);
  });
});

describe('view execution', () => {
  let bulkView: number;
  let mineView: number;

  beforeAll(async () => {
    bulkView = await createdView(BULK_VIEW);
    mineView = await createdView(MINE_VIEW);
  });

  it('executes with offset pages over more tickets than a page, rows carrying the columns', async () => {
    const ids: number[] = [];
    const subjects: string[] = [];
    let page = 1;
    for (;;) {
      const response = await get(tierAgent, `/api/v2/views/${bulkView}/execute.json`, { page, per_page: 50 });
      expect(response.status).toBe(200);
      expect(response.body.count).toBe(BULK);
      expect(response.body.columns).toEqual([
        { id: 'nice_id', title: 'ID' },
        { id: 'description', title: 'Subject' },
        { id: 'status', title: 'Status' },
        { id: 'requester', title: 'Requester' },
      ]);
      expect(response.body.view).toEqual({
        id: bulkView,
        url: `${PUBLIC_URL}/api/v2/views/${bulkView}.json`,
      });
      expect(response.body.groups).toEqual([]);
      expect(validateAgainst('ViewResponse', response.body, VIEW_GAPS)).toEqual([]);
      const [row] = response.body.rows;
      expect(row).toMatchObject({ status: 'open', requester_id: customer.id });
      expect(row.subject).toMatch(/^Bulk \d+$/);
      expect(row.ticket).toMatchObject({
        id: row.nice_id,
        status: 'open',
        url: `${PUBLIC_URL}/api/v2/tickets/${row.nice_id}.json`,
      });
      ids.push(...response.body.rows.map((each: { nice_id: number }) => each.nice_id));
      subjects.push(...response.body.rows.map((each: { subject: string }) => each.subject));
      if (!response.body.next_page) break;
      expect(response.body.next_page).toBe(
        `${PUBLIC_URL}/api/v2/views/${bulkView}/execute.json?page=${page + 1}&per_page=50`,
      );
      page += 1;
    }
    expect(page).toBe(3);
    expect(ids).toHaveLength(BULK);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(subjects).toEqual(Array.from({ length: BULK }, (_, index) => `Bulk ${index + 1}`));
  });

  it('executes with cursor pages and links, and honours sort_by/sort_order from the request', async () => {
    const subjects: string[] = [];
    let response = await get(tierAgent, `/api/v2/views/${bulkView}/execute.json`, {
      'page[size]': 50,
      sort_by: 'id',
      sort_order: 'desc',
    });
    for (;;) {
      expect(response.status).toBe(200);
      expect(response.body).not.toHaveProperty('count');
      subjects.push(...response.body.rows.map((row: { subject: string }) => row.subject));
      if (!response.body.links.next) break;
      expect(response.body.meta.has_more).toBe(true);
      const next = new URL(response.body.links.next);
      response = await get(tierAgent, `${next.pathname}${next.search}`);
    }
    expect(response.body.meta.has_more).toBe(false);
    expect(subjects).toEqual(Array.from({ length: BULK }, (_, index) => `Bulk ${BULK - index}`));

    const bad = await get(tierAgent, `/api/v2/views/${bulkView}/execute.json`, { 'page[after]': 'nonsense' });
    expect(bad.status).toBe(400);
    const unsortable = await get(tierAgent, `/api/v2/views/${bulkView}/execute.json`, { sort_by: 'subject' });
    expect(unsortable.status).toBe(400);
  });

  it('lists the full tickets of a view', async () => {
    const response = await get(tierAgent, `/api/v2/views/${bulkView}/tickets.json`, { per_page: 100 });
    expect(response.status).toBe(200);
    expect(response.body.tickets).toHaveLength(100);
    expect(response.body.count).toBe(BULK);
    expect(response.body.tickets[0]).toMatchObject({ subject: 'Bulk 1', group_id: tier1, tags: ['bulk'] });
    expect(validateAgainst('TicketsResponse', { tickets: response.body.tickets }, TICKET_GAPS)).toEqual([]);
  });

  it('counts one view and many views', async () => {
    const count = await get(tierAgent, `/api/v2/views/${bulkView}/count.json`);
    expect(count.body.view_count).toEqual({
      view_id: bulkView,
      url: `${PUBLIC_URL}/api/v2/views/${bulkView}/count.json`,
      value: BULK,
      pretty: String(BULK),
      fresh: true,
      active: true,
    });
    expect(validateAgainst('ViewCountResponse', count.body)).toEqual([]);

    const many = await get(tierAgent, '/api/v2/views/count_many.json', {
      ids: `${bulkView},${mineView},999999`,
    });
    expect(many.status).toBe(200);
    expect(
      many.body.view_counts.map((each: { view_id: number; value: number }) => [each.view_id, each.value]),
    ).toEqual([
      [bulkView, BULK],
      [mineView, 3],
    ]);
    expect(validateAgainst('ViewCountsResponse', many.body)).toEqual([]);
  });

  it('resolves current_user to the agent running the view', async () => {
    const forTier = await get(tierAgent, `/api/v2/views/${mineView}/execute.json`);
    // Priority descending: urgent, high, low; the solved one is left out.
    expect(forTier.body.rows.map((row: { ticket: { id: number } }) => row.ticket.id)).toEqual([
      mine[1],
      mine[2],
      mine[0],
    ]);
    expect(forTier.body.rows[0]).toMatchObject({ subject: 'Mine urgent', priority: 'urgent' });
    expect(forTier.body.rows[0]).toHaveProperty('updated_requester');
    const forOther = await get(otherAgent, `/api/v2/views/${mineView}/tickets.json`);
    expect(forOther.body.tickets.map((ticket: { id: number }) => ticket.id)).toEqual([othersPending]);
  });

  it('groups rows by the group column', async () => {
    const grouped = await createdView({
      title: 'Pending by assignee',
      all: [{ field: 'status', operator: 'is', value: 'pending' }],
      output: {
        columns: ['description', 'assignee'],
        group_by: 'assignee',
        sort_by: 'nice_id',
        sort_order: 'asc',
      },
    });
    const response = await get(admin, `/api/v2/views/${grouped}/execute.json`);
    const expected = [
      { id: tierAgent.id, count: 1 },
      { id: otherAgent.id, count: 1 },
    ].sort((a, b) => a.id - b.id);
    expect(response.body.groups).toEqual(expected);
    expect(response.body.rows.map((row: { assignee_id: number }) => row.assignee_id)).toEqual(
      expected.map((group) => group.id),
    );
  });
});

describe('view columns and conditions beyond the ticket', () => {
  it('shows and sorts by a ticket field column, titled after the field', async () => {
    const field = await createTicketField({ type: 'text', title: 'Order number' }, NOW);
    for (const value of ORDERS_ON_HOLD) {
      await createTicket({
        caller: as(admin),
        via: apiVia(),
        now: NOW,
        fields: { subject: `Order ${value}`, status: 'hold', custom_fields: [{ id: field.id, value }] },
        requester: customer.id,
        comment: { body: 'Where is my order?' },
      });
    }
    const view = await createdView({
      title: 'On hold by order',
      all: [{ field: 'status', operator: 'is', value: 'hold' }],
      output: { columns: ['nice_id', String(field.id)], sort_by: field.id, sort_order: 'asc' },
    });
    const response = await get(admin, `/api/v2/views/${view}/execute.json`);
    expect(response.body.columns).toEqual([
      { id: 'nice_id', title: 'ID' },
      { id: field.id, title: 'Order number' },
    ]);
    expect(response.body.rows.map((row: Record<string, unknown>) => row[String(field.id)])).toEqual([
      'A-1',
      'B-2',
    ]);
  });

  it('tests requester conditions against the requester of each ticket', async () => {
    const pendingOf = async (role: string) =>
      (
        await get(
          admin,
          `/api/v2/views/${await createdView({
            title: `Pending from ${role}s`,
            all: [
              { field: 'status', operator: 'is', value: 'pending' },
              { field: 'requester_role', operator: 'is', value: role },
            ],
          })}/count.json`,
        )
      ).body.view_count.value;
    expect(await pendingOf('end-user')).toBe(2);
    expect(await pendingOf('agent')).toBe(0);
  });
});

describe('restrictions', () => {
  it('shows a group view to the group’s members and admins only', async () => {
    const groupView = await createdView({
      ...BULK_VIEW,
      title: 'Tier 1 only',
      restriction: { type: 'Group', id: tier1 },
    });
    const userView = await createdView({
      ...BULK_VIEW,
      title: 'Oto only',
      restriction: { type: 'User', id: String(otherAgent.id) },
    });
    const listed = async (user: User) =>
      (await get(user, '/api/v2/views.json')).body.views.map((view: { id: number }) => view.id);

    expect(await listed(tierAgent)).toContain(groupView);
    expect(await listed(tierAgent)).not.toContain(userView);
    expect(await listed(otherAgent)).toContain(userView);
    expect(await listed(otherAgent)).not.toContain(groupView);
    expect(await listed(admin)).toEqual(expect.arrayContaining([groupView, userView]));

    const shown = await get(tierAgent, `/api/v2/views/${groupView}.json`);
    expect(shown.body.view.restriction).toEqual({ type: 'Group', id: tier1, ids: [tier1] });
    expect((await get(otherAgent, `/api/v2/views/${groupView}/execute.json`)).status).toBe(404);
    expect((await get(tierAgent, `/api/v2/views/${userView}/count.json`)).status).toBe(404);
    const counts = await get(tierAgent, '/api/v2/views/count_many.json', { ids: `${groupView},${userView}` });
    expect(counts.body.view_counts.map((count: { view_id: number }) => count.view_id)).toEqual([groupView]);
  });
});

describe('default views', () => {
  it('seeds Zendesk’s day-one views, each executable', async () => {
    await seedDefaultViews({
      groupIds: { 'Tier 1': tier1, 'Tier 2': tier2, 'Tier 3': tier3 },
      adminId: admin.id,
      now: NOW,
    });
    const listed = (await get(admin, '/api/v2/views.json')).body.views.filter(
      (view: { default: boolean }) => view.default,
    );
    expect(listed.map((view: { title: string }) => view.title)).toEqual([
      'Your unsolved tickets',
      'Unassigned tickets',
      'All unsolved tickets',
      'Tier 1 queue',
      'Tier 2 queue',
      'Tier 3 queue',
      'Recently updated tickets',
      'Pending tickets',
      'Recently solved tickets',
    ]);
    expect(listed).toHaveLength(defaultViews({ groupIds: { 'Tier 1': 1, 'Tier 2': 2, 'Tier 3': 3 } }).length);
    const countOf = async (title: string, user: User = tierAgent) => {
      const view = listed.find((each: { title: string }) => each.title === title);
      return (await get(user, `/api/v2/views/${view.id}/count.json`)).body.view_count.value;
    };
    expect(await countOf('Your unsolved tickets')).toBe(3);
    expect(await countOf('Unassigned tickets')).toBe(BULK + ORDERS_ON_HOLD.length);
    expect(await countOf('All unsolved tickets')).toBe(BULK + 4 + ORDERS_ON_HOLD.length);
    expect(await countOf('Tier 1 queue')).toBe(BULK);
    expect(await countOf('Tier 2 queue')).toBe(0);
    expect(await countOf('Pending tickets')).toBe(2);
    // The "recently" views measure hours: views-time-conditions.test.ts runs them at chosen instants.
  });
});

describe('node-zendesk', () => {
  /** node-zendesk's views client, its requests answered by the views handler in-process. */
  const client = (user: User): Loose => inProcessZendeskClient(views, as(user)).views;

  it('creates, lists, pages through and counts views through the client', async () => {
    const adminViews = client(admin);
    const { result: created } = await adminViews.create({
      view: { ...BULK_VIEW, title: 'Through node-zendesk' },
    });
    expect(created.title).toBe('Through node-zendesk');
    // list() asks for page[size]=100 and follows links.next to the end.
    const listed = await adminViews.list();
    expect(listed.map((view: { id: number }) => view.id)).toContain(created.id);
    expect((await adminViews.show(created.id)).result.id).toBe(created.id);

    const agentViews = client(tierAgent);
    // getAll follows next_page: two pages of 100 and 20 bulk tickets.
    const pages = await agentViews.tickets(created.id);
    expect(pages).toHaveLength(2);
    expect(pages.flatMap((page: { tickets: unknown[] }) => page.tickets)).toHaveLength(BULK);
    expect((await agentViews.showCount(created.id)).result.view_count.value).toBe(BULK);
    expect((await agentViews.showCounts([created.id])).result.view_counts).toHaveLength(1);
    const { result: reordered } = await adminViews.reorder([created.id]);
    expect(reordered[0].id).toBe(created.id);
  });
});
