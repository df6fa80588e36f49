import { beforeAll, describe, expect, it } from 'vitest';
import { handler as organizations } from '../../functions/api/organizations.ts';
import { handler as users } from '../../functions/api/users.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { findUserByEmail, getUser } from '../../shared/store/directory/users.ts';
import { createDirectoryField } from '../../shared/use-cases/fields/manage-fields.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { findOrCreateUserByEmail } from '../../shared/use-cases/users/find-or-create-user.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();
const PUBLIC_URL = 'https://help.example.test';
process.env.PUBLIC_URL = PUBLIC_URL;

const NOW = '2026-01-05T10:00:00Z';
let admin: User;
let agent: User;
let endUser: User;
const asAdmin = () => ({ userId: admin.id, role: admin.role });
const asAgent = () => ({ userId: agent.id, role: agent.role });
const asEndUser = () => ({ userId: endUser.id, role: endUser.role });

beforeAll(async () => {
  // Custom field values are validated against their definitions.
  await createDirectoryField('user_field', { key: 'plan', type: 'text', title: 'Plan' }, NOW);
  admin = await createUser({ name: 'Ada Admin', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Alan Agent', email: 'alan@relaydesk.test', role: 'agent' }, NOW);
  endUser = await createUser({ name: 'Erin End', email: 'erin@customer.test' }, NOW);
});

describe('POST /users', () => {
  it('creates an end-user by default with a normalised email, 201 and Zendesk fields', async () => {
    const response = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users.json',
      caller: asAgent(),
      body: { user: { name: 'New Person', email: '  New.Person@Example.COM ', tags: ['VIP', 'vip'] } },
    });
    expect(response.status).toBe(201);
    expect(response.headers['Content-Type']).toMatch(/application\/json/);
    expect(response.body.user).toMatchObject({
      name: 'New Person',
      email: 'new.person@example.com',
      role: 'end-user',
      active: true,
      verified: false,
      restricted_agent: true,
      ticket_restriction: 'requested',
      locale_id: 1,
      tags: ['vip'],
      url: `${PUBLIC_URL}/api/v2/users/${response.body.user.id}.json`,
    });
  });

  it('rejects a duplicate email in any letter case with 422 on email, writing nothing', async () => {
    const before = await callApi(users, { method: 'GET', path: '/api/v2/users.json', caller: asAdmin() });
    const response = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users.json',
      caller: asAdmin(),
      body: { user: { name: 'Copy', email: 'ERIN@customer.test', external_id: 'fresh-ext' } },
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: 'RecordInvalid', details: { email: [expect.any(Object)] } });
    const after = await callApi(users, { method: 'GET', path: '/api/v2/users.json', caller: asAdmin() });
    expect(after.body.count).toBe(before.body.count);
    // The external id of the failed create was not claimed either.
    const reuse = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users.json',
      caller: asAdmin(),
      body: { user: { name: 'Ext', email: 'ext@customer.test', external_id: 'fresh-ext' } },
    });
    expect(reuse.status).toBe(201);
  });

  it.each([
    ['name missing', { email: 'noname@example.com' }, 'name'],
    ['bad email', { name: 'X', email: 'not-an-email' }, 'email'],
    [
      'unknown organization',
      { name: 'X', email: 'x1@example.com', organization_id: 999999 },
      'organization_id',
    ],
    ['wrong type', { name: 'X', email: 'x2@example.com', verified: 'yes' }, 'verified'],
  ])('answers 422 naming the field: %s', async (_, user, field) => {
    const response = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users',
      caller: asAdmin(),
      body: { user },
    });
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.details)).toContain(field);
  });

  it.each([
    ['agent creating an agent', 'agent', 403],
    ['agent creating an admin', 'admin', 403],
  ] as const)('forbids an %s', async (_, role, status) => {
    const response = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users.json',
      caller: asAgent(),
      body: { user: { name: 'Staff', email: `staff-${role}@relaydesk.test`, role } },
    });
    expect(response.status).toBe(status);
  });

  it('lets an admin create an agent', async () => {
    const response = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users.json',
      caller: asAdmin(),
      body: { user: { name: 'Second Agent', email: 'agent2@relaydesk.test', role: 'agent' } },
    });
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({
      role: 'agent',
      restricted_agent: false,
      ticket_restriction: null,
    });
  });

  it('forbids end-users from the staff routes', async () => {
    const response = await callApi(users, { method: 'GET', path: '/api/v2/users.json', caller: asEndUser() });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ error: 'Forbidden', description: expect.any(String) });
  });
});

describe('domain join', () => {
  it('puts a new end-user in the organization owning their email domain, unless one is given', async () => {
    const org = await callApi(organizations, {
      method: 'POST',
      path: '/api/v2/organizations.json',
      caller: asAdmin(),
      body: { organization: { name: 'Acme', domain_names: ['acme.test'] } },
    });
    const other = await callApi(organizations, {
      method: 'POST',
      path: '/api/v2/organizations.json',
      caller: asAdmin(),
      body: { organization: { name: 'Other Co' } },
    });
    const joined = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users.json',
      caller: asAgent(),
      body: { user: { name: 'Wile', email: 'wile@ACME.test' } },
    });
    expect(joined.body.user.organization_id).toBe(org.body.organization.id);
    const explicit = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users.json',
      caller: asAgent(),
      body: { user: { name: 'Road', email: 'road@acme.test', organization_id: other.body.organization.id } },
    });
    expect(explicit.body.user.organization_id).toBe(other.body.organization.id);
    const requester = await findOrCreateUserByEmail({ email: 'bugs@acme.test' }, NOW);
    expect(requester).toMatchObject({ name: 'bugs', role: 'end-user', verified: false });
    expect(requester.organization_id).toBe(org.body.organization.id);
  });
});

describe('findOrCreateUserByEmail', () => {
  it('returns an existing user unchanged, whatever name is given', async () => {
    const found = await findOrCreateUserByEmail({ email: 'Erin@Customer.test', name: 'Someone Else' }, NOW);
    expect(found).toEqual(await getUser(endUser.id));
  });

  it('creates a named end-user once, even when called concurrently', async () => {
    const [a, b] = await Promise.all([
      findOrCreateUserByEmail({ email: 'race@example.com', name: 'Race' }, NOW),
      findOrCreateUserByEmail({ email: 'race@example.com', name: 'Race' }, NOW),
    ]);
    expect(a.id).toBe(b.id);
    expect(a.name).toBe('Race');
  });
});

describe('show, me and end-user isolation', () => {
  it('shows the caller at users/me', async () => {
    const response = await callApi(users, {
      method: 'GET',
      path: '/api/v2/users/me.json',
      caller: asEndUser(),
    });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ id: endUser.id, email: endUser.email });
  });

  it('requires authentication for users/me', async () => {
    const response = await callApi(users, {
      method: 'GET',
      path: '/api/v2/users/me.json',
      caller: 'anonymous',
    });
    expect(response.status).toBe(401);
  });

  it('lets an end-user show themselves but nobody else (403, even for unknown ids)', async () => {
    const self = await callApi(users, {
      method: 'GET',
      path: `/api/v2/users/${endUser.id}.json`,
      caller: asEndUser(),
    });
    expect(self.status).toBe(200);
    for (const id of [agent.id, 987654]) {
      const other = await callApi(users, {
        method: 'GET',
        path: `/api/v2/users/${id}.json`,
        caller: asEndUser(),
      });
      expect(other.status).toBe(403);
    }
  });

  it('answers 404 to staff for unknown users and non-numeric ids', async () => {
    for (const id of ['987654', 'abc']) {
      const response = await callApi(users, {
        method: 'GET',
        path: `/api/v2/users/${id}.json`,
        caller: asAgent(),
      });
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: 'RecordNotFound', description: 'Not found' });
    }
  });
});

describe('PUT /users/{id}', () => {
  it('lets an end-user change their own name and phone', async () => {
    const response = await callApi(users, {
      method: 'PUT',
      path: `/api/v2/users/${endUser.id}.json`,
      caller: asEndUser(),
      body: { user: { name: 'Erin Renamed', phone: '+15550001', role: 'end-user' } },
    });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ name: 'Erin Renamed', phone: '+15550001' });
  });

  it.each([
    ['their role', { role: 'admin' }],
    ['their notes', { notes: 'I am great' }],
    ['their email', { email: 'other@customer.test' }],
  ])('forbids an end-user changing %s', async (_, user) => {
    const response = await callApi(users, {
      method: 'PUT',
      path: `/api/v2/users/${endUser.id}.json`,
      caller: asEndUser(),
      body: { user },
    });
    expect(response.status).toBe(403);
    expect((await getUser(endUser.id))?.role).toBe('end-user');
  });

  it('forbids an end-user updating someone else', async () => {
    const response = await callApi(users, {
      method: 'PUT',
      path: `/api/v2/users/${agent.id}.json`,
      caller: asEndUser(),
      body: { user: { name: 'Hacked' } },
    });
    expect(response.status).toBe(403);
  });

  it('forbids agents from changing roles and from editing admins', async () => {
    const promote = await callApi(users, {
      method: 'PUT',
      path: `/api/v2/users/${endUser.id}.json`,
      caller: asAgent(),
      body: { user: { role: 'agent' } },
    });
    expect(promote.status).toBe(403);
    const editAdmin = await callApi(users, {
      method: 'PUT',
      path: `/api/v2/users/${admin.id}.json`,
      caller: asAgent(),
      body: { user: { notes: 'x' } },
    });
    expect(editAdmin.status).toBe(403);
    const notes = await callApi(users, {
      method: 'PUT',
      path: `/api/v2/users/${endUser.id}.json`,
      caller: asAgent(),
      body: { user: { notes: 'Prefers email', user_fields: { plan: 'gold' } } },
    });
    expect(notes.status).toBe(200);
    expect(notes.body.user).toMatchObject({ notes: 'Prefers email', user_fields: { plan: 'gold' } });
  });

  it('lets an admin change the email, freeing the old one and keeping the new one unique', async () => {
    const person = await createUser({ name: 'Mover', email: 'mover@old.test' }, NOW);
    const taken = await callApi(users, {
      method: 'PUT',
      path: `/api/v2/users/${person.id}.json`,
      caller: asAdmin(),
      body: { user: { email: 'ALAN@relaydesk.test' } },
    });
    expect(taken.status).toBe(422);
    expect(taken.body.details.email).toBeDefined();
    const moved = await callApi(users, {
      method: 'PUT',
      path: `/api/v2/users/${person.id}.json`,
      caller: asAdmin(),
      body: { user: { email: 'Mover@New.test', role: 'agent' } },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.user).toMatchObject({ email: 'mover@new.test', role: 'agent' });
    expect(await findUserByEmail('mover@old.test')).toBeUndefined();
    expect((await findUserByEmail('mover@new.test'))?.id).toBe(person.id);
  });
});

describe('DELETE /users/{id}', () => {
  it('soft-deletes (200 with active:false), frees the email and drops the user from lists', async () => {
    const doomed = await createUser({ name: 'Doomed', email: 'doomed@example.com' }, NOW);
    const agentTry = await callApi(users, {
      method: 'DELETE',
      path: `/api/v2/users/${doomed.id}.json`,
      caller: asAgent(),
    });
    expect(agentTry.status).toBe(403);
    const response = await callApi(users, {
      method: 'DELETE',
      path: `/api/v2/users/${doomed.id}.json`,
      caller: asAdmin(),
    });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ id: doomed.id, active: false });
    expect(await findUserByEmail('doomed@example.com')).toBeUndefined();
    const shown = await callApi(users, {
      method: 'GET',
      path: `/api/v2/users/${doomed.id}.json`,
      caller: asAgent(),
    });
    expect(shown.body.user.active).toBe(false);
    const again = await createUser({ name: 'Reborn', email: 'doomed@example.com' }, NOW);
    expect(again.id).not.toBe(doomed.id);
    const search = await callApi(users, {
      method: 'GET',
      path: '/api/v2/users/search.json',
      query: { query: 'doomed@example.com' },
      caller: asAgent(),
    });
    expect(search.body.users.map((user: { id: number }) => user.id)).toEqual([again.id]);
  });

  it('forbids an admin deleting themselves', async () => {
    const response = await callApi(users, {
      method: 'DELETE',
      path: `/api/v2/users/${admin.id}.json`,
      caller: asAdmin(),
    });
    expect(response.status).toBe(403);
  });
});

describe('create_or_update', () => {
  it('answers 201 when it creates and 200 when it updates the user matched by email or external id', async () => {
    const first = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users/create_or_update.json',
      caller: asAgent(),
      body: { user: { name: 'Cora', email: 'cora@example.com', external_id: 'crm-1' } },
    });
    expect(first.status).toBe(201);
    const byEmail = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users/create_or_update.json',
      caller: asAgent(),
      body: { user: { email: 'CORA@example.com', phone: '+1555' } },
    });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.user).toMatchObject({ id: first.body.user.id, name: 'Cora', phone: '+1555' });
    const byExternalId = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users/create_or_update.json',
      caller: asAgent(),
      body: { user: { external_id: 'CRM-1', name: 'Cora Renamed' } },
    });
    expect(byExternalId.status).toBe(200);
    expect(byExternalId.body.user).toMatchObject({ id: first.body.user.id, name: 'Cora Renamed' });
  });
});

describe('search and show_many', () => {
  it.each([
    ['an email address', { query: 'ALAN@relaydesk.test' }],
    ['email:', { query: 'email:alan@relaydesk.test' }],
    ['a numeric id', { query: 'ID' }],
  ])('finds a user by %s', async (_, query) => {
    const response = await callApi(users, {
      method: 'GET',
      path: '/api/v2/users/search.json',
      query: { query: query.query.replace('ID', String(agent.id)) },
      caller: asAgent(),
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ users: [{ id: agent.id }], next_page: null, count: 1 });
  });

  it('finds a user by external id, as parameter or in the query', async () => {
    const person = await createUser({ name: 'Ext', email: 'ext2@example.com', external_id: 'SF-42' }, NOW);
    for (const query of [{ external_id: 'sf-42' }, { query: 'external_id:SF-42' }] as Record<
      string,
      string
    >[]) {
      const response = await callApi(users, {
        method: 'GET',
        path: '/api/v2/users/search.json',
        query,
        caller: asAgent(),
      });
      expect(response.body.users.map((user: { id: number }) => user.id)).toEqual([person.id]);
    }
  });

  it('finds nobody for free text (not supported yet) and 400s without a query', async () => {
    const text = await callApi(users, {
      method: 'GET',
      path: '/api/v2/users/search.json',
      query: { query: 'Alan' },
      caller: asAgent(),
    });
    expect(text.body).toMatchObject({ users: [], count: 0 });
    const none = await callApi(users, {
      method: 'GET',
      path: '/api/v2/users/search.json',
      caller: asAgent(),
    });
    expect(none.status).toBe(400);
  });

  it('shows many users by ids (comma-joined, encoded) and by external ids', async () => {
    const response = await callApi(users, {
      method: 'GET',
      path: `/api/v2/users/show_many.json?ids=${agent.id}%2C${admin.id}%2C999999`,
      caller: asAgent(),
    });
    expect(response.status).toBe(200);
    expect(response.body.users.map((user: { id: number }) => user.id)).toEqual([admin.id, agent.id]);
    const external = await callApi(users, {
      method: 'GET',
      path: '/api/v2/users/show_many.json',
      query: { external_ids: 'SF-42,nope' },
      caller: asAgent(),
    });
    expect(external.body.users).toHaveLength(1);
    const bad = await callApi(users, {
      method: 'GET',
      path: '/api/v2/users/show_many.json?ids=1,x',
      caller: asAgent(),
    });
    expect(bad.status).toBe(400);
  });
});
