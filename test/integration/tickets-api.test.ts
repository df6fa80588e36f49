import { beforeAll, describe, expect, it } from 'vitest';
import { handler as groups } from '../../functions/api/groups.ts';
import { handler as requests } from '../../functions/api/requests.ts';
import { handler as tickets } from '../../functions/api/tickets.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { planTicketChange } from '../../shared/domain/tickets/plan-ticket-write.ts';
import { apiVia } from '../../shared/domain/tickets/ticket.ts';
import { findUserByEmail } from '../../shared/store/directory/users.ts';
import { allocateAuditId, getTicket, writeTicket } from '../../shared/store/tickets/tickets.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { type ApiEventInput, apiEvent, callApi, lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { UNASSIGNED_TICKET_NULLS, validateAgainst } from '../support/openapi.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

const NOW = '2026-11-25T09:00:00Z';
const ZENDESK_NULLS = { TicketObject: [...UNASSIGNED_TICKET_NULLS] };
let admin: User;
let agent: User;
let outsider: User;
let customer: User;
let otherCustomer: User;
let tier1: number;

const as = (user: User) => ({ userId: user.id, role: user.role, email: user.email ?? '' });
const api = (input: ApiEventInput) => callApi(tickets, input);

const createTicket = async (ticket: Record<string, unknown>, caller = agent) => {
  const response = await api({
    method: 'POST',
    path: '/api/v2/tickets.json',
    caller: as(caller),
    body: { ticket },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.ticket;
};

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' }, NOW);
  outsider = await createUser({ name: 'Oz', email: 'oz@relaydesk.test', role: 'agent' }, NOW);
  customer = await createUser({ name: 'Cy', email: 'cy@customer.test' }, NOW);
  otherCustomer = await createUser({ name: 'Di', email: 'di@customer.test' }, NOW);
  const group = await callApi(groups, {
    method: 'POST',
    path: '/api/v2/groups.json',
    caller: as(admin),
    body: { group: { name: 'Tier 1' } },
  });
  tier1 = group.body.group.id;
  await callApi(groups, {
    method: 'POST',
    path: '/api/v2/group_memberships.json',
    caller: as(admin),
    body: { group_membership: { user_id: agent.id, group_id: tier1 } },
  });
});

describe('creating tickets', () => {
  it('creates a ticket whose requester is given by email, creating that end-user', async () => {
    const response = await api({
      method: 'POST',
      path: '/api/v2/tickets.json',
      caller: as(agent),
      body: {
        ticket: {
          subject: 'Printer on fire',
          comment: { body: 'Flames everywhere' },
          requester: { name: 'New Person', email: 'New.Person@Example.test' },
          priority: 'urgent',
          tags: ['hardware'],
        },
      },
    });
    expect(response.status).toBe(201);
    expect(response.headers.Location).toBe(
      `https://help.example.test/api/v2/tickets/${response.body.ticket.id}.json`,
    );
    const requester = await findUserByEmail('new.person@example.test');
    expect(requester).toMatchObject({ name: 'New Person', role: 'end-user' });
    expect(response.body.ticket).toMatchObject({
      subject: 'Printer on fire',
      description: 'Flames everywhere',
      status: 'new',
      priority: 'urgent',
      requester_id: requester?.id,
      submitter_id: agent.id,
      tags: ['hardware'],
      via: { channel: 'api' },
    });
    expect(response.body.audit.events[0]).toMatchObject({
      type: 'Comment',
      body: 'Flames everywhere',
      public: true,
    });
    expect(
      validateAgainst('TicketResponse', { ticket: response.body.ticket }, { nullable: ZENDESK_NULLS }),
    ).toEqual([]);
  });

  it('never changes an existing user named as requester', async () => {
    const ticket = await createTicket({
      comment: { body: 'Hi' },
      requester: { name: 'Someone Else', email: 'CY@customer.test' },
    });
    expect(ticket.requester_id).toBe(customer.id);
    expect((await findUserByEmail('cy@customer.test'))?.name).toBe('Cy');
  });

  it('makes the caller the requester when none is given', async () => {
    expect((await createTicket({ comment: { body: 'Mine' } })).requester_id).toBe(agent.id);
  });

  it('opens a ticket created with an assignee', async () => {
    const ticket = await createTicket({
      comment: { body: 'x' },
      requester_id: customer.id,
      assignee_id: agent.id,
      group_id: tier1,
    });
    expect(ticket.status).toBe('open');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a blank comment', { comment: { body: '  ' } }, 'comment'],
    ['no comment', { subject: 'x' }, 'comment'],
    ['an unknown status', { comment: { body: 'x' }, status: 'sleeping' }, 'status'],
    ['a requester that does not exist', { comment: { body: 'x' }, requester_id: 999_999 }, 'requester_id'],
    ['an end-user as assignee', { comment: { body: 'x' }, assignee_id: 0 }, 'assignee_id'],
    ['an assignee outside the group', { comment: { body: 'x' }, group_id: 0, assignee_id: 0 }, 'assignee_id'],
    ['a group that does not exist', { comment: { body: 'x' }, group_id: 999_999 }, 'group_id'],
    ['solved without an assignee', { comment: { body: 'x' }, status: 'solved' }, 'status'],
  ])('refuses %s with a 422 naming the field, and writes nothing', async (_, ticket, field) => {
    const body = { ...ticket };
    if (body.assignee_id === 0) body.assignee_id = body.group_id === 0 ? outsider.id : customer.id;
    if (body.group_id === 0) body.group_id = tier1;
    const before = await api({ method: 'GET', path: '/api/v2/tickets.json', caller: as(agent) });
    const response = await api({
      method: 'POST',
      path: '/api/v2/tickets.json',
      caller: as(agent),
      body: { ticket: body },
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: 'RecordInvalid', description: 'Record validation errors' });
    expect(Object.keys(response.body.details)).toContain(field);
    const after = await api({ method: 'GET', path: '/api/v2/tickets.json', caller: as(agent) });
    expect(after.body.count).toBe(before.body.count);
  });

  it('answers a missing body with 422 and malformed JSON with 400', async () => {
    const missing = await api({ method: 'POST', path: '/api/v2/tickets', caller: as(agent) });
    expect(missing.status).toBe(422);
    const event = {
      ...apiEvent({ method: 'POST', path: '/api/v2/tickets', caller: as(agent) }),
      body: '{"ticket":',
    };
    const malformed = await tickets(event, lambdaContext());
    expect(malformed.statusCode).toBe(400);
    expect(JSON.parse(String(malformed.body))).toMatchObject({ error: 'InvalidRequest' });
  });
});

describe('updating tickets', () => {
  it('adds a public comment and an internal note, each in its own audit', async () => {
    const ticket = await createTicket({ comment: { body: 'Help' }, requester_id: customer.id });
    await api({
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}.json`,
      caller: as(agent),
      body: { ticket: { comment: { body: 'On it' } } },
    });
    const note = await api({
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}`,
      caller: as(agent),
      body: { ticket: { comment: { body: 'Customer is grumpy', public: false }, assignee_id: agent.id } },
    });
    expect(note.body.ticket.status).toBe('open');
    expect(
      note.body.audit.events.map(
        (event: { type: string; field_name?: string }) => event.field_name ?? event.type,
      ),
    ).toEqual(['Comment', 'status', 'assignee_id']);
    const comments = await api({
      method: 'GET',
      path: `/api/v2/tickets/${ticket.id}/comments.json`,
      caller: as(agent),
    });
    expect(comments.body.comments.map((comment: { public: boolean }) => comment.public)).toEqual([
      true,
      true,
      false,
    ]);
    const audits = await api({
      method: 'GET',
      path: `/api/v2/tickets/${ticket.id}/audits.json`,
      caller: as(agent),
    });
    expect(audits.body.audits).toHaveLength(3);
    expect(audits.body.count).toBe(3);
  });

  it('does not move updated_at or write an audit when nothing changes', async () => {
    const ticket = await createTicket({ comment: { body: 'x' }, subject: 'Same' });
    const response = await api({
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}`,
      caller: as(agent),
      body: { ticket: { subject: 'Same' } },
    });
    expect(response.body.audit).toBeNull();
    expect(response.body.ticket.updated_at).toBe(ticket.updated_at);
  });

  it('refuses a stale safe update with 409 and keeps the newer change', async () => {
    const ticket = await createTicket({ comment: { body: 'x' }, subject: 'Original' });
    const stamp = ticket.updated_at;
    await new Promise((resolve) => setTimeout(resolve, 1100)); // updated_stamp has second precision
    const first = await api({
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}`,
      caller: as(agent),
      body: { ticket: { subject: 'First', safe_update: true, updated_stamp: stamp } },
    });
    expect(first.status).toBe(200);
    const second = await api({
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}`,
      caller: as(agent),
      body: { ticket: { subject: 'Second', safe_update: true, updated_stamp: stamp } },
    });
    expect(second.status).toBe(409);
    expect(second.body.error).toBe('UpdateConflict');
    const shown = await api({ method: 'GET', path: `/api/v2/tickets/${ticket.id}`, caller: as(agent) });
    expect(shown.body.ticket.subject).toBe('First');
  });

  it("accepts a safe update after a trigger's mail-only audit (it does not move updated_at)", async () => {
    const ticket = await createTicket({ comment: { body: 'x' }, subject: 'Mailed' });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // updated_stamp has second precision
    const stored = await getTicket(ticket.id);
    if (!stored) throw new Error('the ticket was not stored');
    const mailed = planTicketChange(
      stored,
      {
        notices: [
          {
            type: 'Notification',
            subject: 'Received',
            body: 'We got it',
            recipients: [customer.id],
            via: { channel: 'rule', source: { from: { id: 1, title: 'Ack' }, to: {}, rel: 'trigger' } },
          },
        ],
      },
      { auditId: await allocateAuditId(), now: new Date().toISOString(), actorId: -1, via: apiVia() },
    );
    if (!mailed) throw new Error('a notice is always audited');
    await writeTicket({ ...mailed, expectedVersion: stored.version });

    const safe = await api({
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}`,
      caller: as(agent),
      body: { ticket: { subject: 'Edited', safe_update: true, updated_stamp: ticket.updated_at } },
    });
    expect(safe.status, JSON.stringify(safe.body)).toBe(200);
    expect(safe.body.ticket.subject).toBe('Edited');
  });

  it('keeps both of two concurrent unsafe updates (optimistic locking retries)', async () => {
    const ticket = await createTicket({ comment: { body: 'x' } });
    const [a, b] = await Promise.all([
      api({
        method: 'PUT',
        path: `/api/v2/tickets/${ticket.id}/tags`,
        caller: as(agent),
        body: { tags: ['alpha'] },
      }),
      api({
        method: 'PUT',
        path: `/api/v2/tickets/${ticket.id}/tags`,
        caller: as(agent),
        body: { tags: ['beta'] },
      }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const tags = await api({ method: 'GET', path: `/api/v2/tickets/${ticket.id}/tags`, caller: as(agent) });
    expect([...tags.body.tags].sort()).toEqual(['alpha', 'beta']);
  });

  it('sets, adds and removes tags', async () => {
    const ticket = await createTicket({ comment: { body: 'x' }, tags: ['one'] });
    const path = `/api/v2/tickets/${ticket.id}/tags.json`;
    expect(
      (await api({ method: 'POST', path, caller: as(agent), body: { tags: ['two', 'three'] } })).body.tags,
    ).toEqual(['two', 'three']);
    expect(
      (await api({ method: 'PUT', path, caller: as(agent), body: { tags: ['four'] } })).body.tags,
    ).toEqual(['two', 'three', 'four']);
    expect((await api({ method: 'DELETE', path, caller: as(agent), body: { tags: ['two'] } })).status).toBe(
      204,
    );
    expect((await api({ method: 'GET', path, caller: as(agent) })).body.tags).toEqual(['three', 'four']);
  });

  it('refuses every change to a closed ticket with 422 details.status', async () => {
    const ticket = await createTicket({ comment: { body: 'x' }, assignee_id: agent.id, status: 'solved' });
    const closed = await api({
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}`,
      caller: as(agent),
      body: { ticket: { status: 'closed' } },
    });
    expect(closed.body.ticket.status).toBe('closed');
    const change = await api({
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}`,
      caller: as(agent),
      body: { ticket: { subject: 'late' } },
    });
    expect(change.status).toBe(422);
    expect(change.body.details.status[0].description).toBe('Status: closed prevents ticket update');
  });
});

describe('deleting tickets', () => {
  it('outlasts a concurrent write (a rule or SLA consumer updating the ticket) instead of a 409', async () => {
    const ticket = await createTicket({ comment: { body: 'Delete me' }, requester_id: otherCustomer.id });
    const [updated, deleted] = await Promise.all([
      api({
        method: 'PUT',
        path: `/api/v2/tickets/${ticket.id}.json`,
        caller: as(agent),
        body: { ticket: { priority: 'high' } },
      }),
      api({ method: 'DELETE', path: `/api/v2/tickets/${ticket.id}.json`, caller: as(agent) }),
    ]);
    expect(deleted.status).toBe(204);
    // The update either landed first or found the ticket already gone.
    expect([200, 404]).toContain(updated.status);
    expect(
      (await api({ method: 'GET', path: `/api/v2/tickets/${ticket.id}.json`, caller: as(agent) })).status,
    ).toBe(404);
  });
});

describe('reading tickets', () => {
  it('pages through tickets with cursors, links.next null on the last page', async () => {
    for (let i = 0; i < 3; i++)
      await createTicket({ comment: { body: `page ${i}` }, requester_id: otherCustomer.id });
    const seen: number[] = [];
    let path: string | null = `/api/v2/users/${otherCustomer.id}/tickets/requested.json?page%5Bsize%5D=2`;
    let pages = 0;
    while (path) {
      const response = await api({ method: 'GET', path, caller: as(agent) });
      expect(response.status).toBe(200);
      seen.push(...response.body.tickets.map((ticket: { id: number }) => ticket.id));
      const next: string | null = response.body.links.next;
      if (next) expect(next.startsWith('https://help.example.test/api/v2/users/')).toBe(true);
      expect(response.body.meta.has_more).toBe(next !== null);
      path = next ? next.replace('https://help.example.test', '') : null;
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen).toHaveLength(3);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('pages with offsets: next_page, previous_page and count', async () => {
    const response = await api({
      method: 'GET',
      path: `/api/v2/users/${otherCustomer.id}/tickets/requested.json`,
      query: { page: 2, per_page: 2 },
      caller: as(agent),
    });
    expect(response.body).toMatchObject({ count: 3, next_page: null });
    expect(response.body.tickets).toHaveLength(1);
    expect(response.body.previous_page).toContain('page=1');
  });

  it('refuses a forged cursor with 400', async () => {
    const response = await api({
      method: 'GET',
      path: '/api/v2/tickets.json',
      query: { 'page[after]': 'bm9wZQ' },
      caller: as(agent),
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].code).toBe('InvalidPaginationParameter');
  });

  it('sideloads users, groups and organizations', async () => {
    const ticket = await createTicket({ comment: { body: 'x' }, requester_id: customer.id, group_id: tier1 });
    const response = await api({
      method: 'GET',
      path: `/api/v2/tickets/${ticket.id}.json`,
      query: { include: 'users,groups' },
      caller: as(agent),
    });
    expect(response.body.users.map((user: { id: number }) => user.id).sort()).toEqual(
      [agent.id, customer.id].sort(),
    );
    expect(response.body.groups.map((group: { name: string }) => group.name)).toEqual(['Tier 1']);
  });

  it('shows many and hides deleted tickets everywhere but /deleted_tickets', async () => {
    const kept = await createTicket({ comment: { body: 'keep' } });
    const gone = await createTicket({ comment: { body: 'delete me' } });
    expect(
      (await api({ method: 'DELETE', path: `/api/v2/tickets/${gone.id}.json`, caller: as(agent) })).status,
    ).toBe(204);
    expect((await api({ method: 'GET', path: `/api/v2/tickets/${gone.id}`, caller: as(agent) })).status).toBe(
      404,
    );
    const many = await api({
      method: 'GET',
      path: '/api/v2/tickets/show_many.json',
      query: { ids: `${kept.id},${gone.id}` },
      caller: as(agent),
    });
    expect(many.body.tickets.map((ticket: { id: number }) => ticket.id)).toEqual([kept.id]);
    const deleted = await api({ method: 'GET', path: '/api/v2/deleted_tickets.json', caller: as(agent) });
    expect(deleted.body.deleted_tickets.map((ticket: { id: number }) => ticket.id)).toContain(gone.id);
  });

  it('keeps end-users out of the Tickets API', async () => {
    const response = await api({ method: 'GET', path: '/api/v2/tickets.json', caller: as(customer) });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: 'Forbidden',
      description: 'You do not have access to this resource',
    });
  });
});

describe('the Requests API', () => {
  it('lets an end-user open, list, read and comment on only their own requests, without internal notes', async () => {
    const created = await callApi(requests, {
      method: 'POST',
      path: '/api/v2/requests.json',
      caller: as(customer),
      body: { request: { subject: 'Cannot log in', comment: { body: 'Password rejected' } } },
    });
    expect(created.status).toBe(201);
    const id = created.body.request.id;
    expect(created.body.request).toMatchObject({
      requester_id: customer.id,
      status: 'new',
      via: { channel: 'web' },
    });
    await api({
      method: 'PUT',
      path: `/api/v2/tickets/${id}`,
      caller: as(agent),
      body: { ticket: { comment: { body: 'Suspect fraud', public: false } } },
    });

    const comments = await callApi(requests, {
      method: 'GET',
      path: `/api/v2/requests/${id}/comments.json`,
      caller: as(customer),
    });
    expect(comments.body.comments.map((comment: { body: string }) => comment.body)).toEqual([
      'Password rejected',
    ]);

    const theirs = await callApi(requests, {
      method: 'GET',
      path: `/api/v2/requests/${id}`,
      caller: as(otherCustomer),
    });
    expect(theirs.status).toBe(404);
    const theirComments = await callApi(requests, {
      method: 'GET',
      path: `/api/v2/requests/${id}/comments`,
      caller: as(otherCustomer),
    });
    expect(theirComments.status).toBe(404);
    const list = await callApi(requests, {
      method: 'GET',
      path: '/api/v2/requests.json',
      caller: as(otherCustomer),
    });
    expect(list.body.requests.map((request: { id: number }) => request.id)).not.toContain(id);
  });

  it('never shows a description taken from an internal note', async () => {
    const ticket = await createTicket({
      comment: { body: 'internal only', public: false },
      requester_id: customer.id,
    });
    const response = await callApi(requests, {
      method: 'GET',
      path: `/api/v2/requests/${ticket.id}`,
      caller: as(customer),
    });
    expect(response.body.request.description).toBe('');
  });

  it('reopens a solved request when the end-user replies, and lets them solve an assigned one', async () => {
    const ticket = await createTicket({
      comment: { body: 'x' },
      requester_id: customer.id,
      assignee_id: agent.id,
      status: 'solved',
    });
    const reply = await callApi(requests, {
      method: 'PUT',
      path: `/api/v2/requests/${ticket.id}.json`,
      caller: as(customer),
      body: { request: { comment: { body: 'Still broken' } } },
    });
    expect(reply.body.request.status).toBe('open');
    const solved = await callApi(requests, {
      method: 'PUT',
      path: `/api/v2/requests/${ticket.id}.json`,
      caller: as(customer),
      body: { request: { solved: true } },
    });
    expect(solved.body.request).toMatchObject({ status: 'solved', solved: true });
  });
});
