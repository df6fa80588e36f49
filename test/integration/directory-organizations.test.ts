import { beforeAll, describe, expect, it } from 'vitest';
import { handler as organizations } from '../../functions/api/organizations.ts';
import { handler as users } from '../../functions/api/users.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { findOrganizationIdByDomain } from '../../shared/store/directory/organizations.ts';
import { getUser } from '../../shared/store/directory/users.ts';
import { createDirectoryField } from '../../shared/use-cases/fields/manage-fields.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();
const PUBLIC_URL = 'https://help.example.test/zd';
process.env.PUBLIC_URL = PUBLIC_URL;

const NOW = '2026-01-05T10:00:00Z';
let admin: User;
let agent: User;
const asAdmin = () => ({ userId: admin.id, role: admin.role });
const asAgent = () => ({ userId: agent.id, role: agent.role });

const createOrg = (organization: Record<string, unknown>) =>
  callApi(organizations, {
    method: 'POST',
    path: '/api/v2/organizations.json',
    caller: asAdmin(),
    body: { organization },
  });

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Alan', email: 'alan@relaydesk.test', role: 'agent' }, NOW);
  // Custom field values are validated against their definitions.
  await createDirectoryField('organization_field', { key: 'tier', type: 'text', title: 'Tier' }, NOW);
  await createDirectoryField('organization_field', { key: 'seats', type: 'integer', title: 'Seats' }, NOW);
  await createDirectoryField('organization_field', { key: 'x', type: 'integer', title: 'X' }, NOW);
});

describe('organizations CRUD', () => {
  it('creates an organization with every field stored as given', async () => {
    const response = await createOrg({
      name: 'Globex',
      details: 'HQ in Cypress Creek',
      notes: 'Big account',
      external_id: 'GLX-1',
      domain_names: ['Globex.test', 'globex.test', 'globex-corp.test'],
      tags: ['Enterprise'],
      organization_fields: { tier: 'gold', seats: 12 },
      shared_tickets: true,
    });
    expect(response.status).toBe(201);
    expect(response.body.organization).toMatchObject({
      name: 'Globex',
      domain_names: ['globex.test', 'globex-corp.test'],
      tags: ['enterprise'],
      organization_fields: { tier: 'gold', seats: 12 },
      shared_tickets: true,
      shared_comments: false,
      group_id: null,
      url: `${PUBLIC_URL}/api/v2/organizations/${response.body.organization.id}.json`,
    });
    const shown = await callApi(organizations, {
      method: 'GET',
      path: `/api/v2/organizations/${response.body.organization.id}.json`,
      caller: asAgent(),
    });
    expect(shown.body).toEqual(response.body);
  });

  it('lets only admins write', async () => {
    const response = await callApi(organizations, {
      method: 'POST',
      path: '/api/v2/organizations.json',
      caller: asAgent(),
      body: { organization: { name: 'Nope' } },
    });
    expect(response.status).toBe(403);
  });

  it('requires a name', async () => {
    const response = await createOrg({ details: 'no name' });
    expect(response.status).toBe(422);
    expect(response.body.details.name).toBeDefined();
  });

  it.each([
    ['name (any case)', { name: 'GLOBEX' }, 'name'],
    ['external id (any case)', { name: 'Globex 2', external_id: 'glx-1' }, 'external_id'],
    ['domain', { name: 'Globex 3', domain_names: ['other.test', 'GLOBEX-corp.test'] }, 'domain_names'],
  ])('rejects a duplicate %s with 422 and writes nothing', async (_, organization, field) => {
    const response = await createOrg(organization);
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.details)).toEqual([field]);
    // A rejected organization claims none of its other values.
    expect(await findOrganizationIdByDomain('other.test')).toBeUndefined();
  });

  it('rejects an invalid domain name', async () => {
    const response = await createOrg({ name: 'Bad Domains', domain_names: ['not a domain'] });
    expect(response.status).toBe(422);
    expect(response.body.details.domain_names).toBeDefined();
  });

  it('moves unique values on update: the old name and domains are free again', async () => {
    const original = await createOrg({ name: 'Initech', domain_names: ['initech.test'] });
    const id = original.body.organization.id;
    const updated = await callApi(organizations, {
      method: 'PUT',
      path: `/api/v2/organizations/${id}.json`,
      caller: asAdmin(),
      body: {
        organization: {
          name: 'Initech Inc',
          domain_names: ['initech.example'],
          organization_fields: { x: 1 },
        },
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.organization).toMatchObject({
      name: 'Initech Inc',
      domain_names: ['initech.example'],
    });
    expect(await findOrganizationIdByDomain('initech.test')).toBeUndefined();
    expect(await findOrganizationIdByDomain('INITECH.example')).toBe(id);
    const reuse = await createOrg({ name: 'Initech', domain_names: ['initech.test'] });
    expect(reuse.status).toBe(201);
    const clash = await callApi(organizations, {
      method: 'PUT',
      path: `/api/v2/organizations/${id}.json`,
      caller: asAdmin(),
      body: { organization: { name: 'initech' } },
    });
    expect(clash.status).toBe(422);
  });

  it('shows many by ids and by external ids', async () => {
    const a = await createOrg({ name: 'Many A', external_id: 'm-a' });
    const b = await createOrg({ name: 'Many B' });
    const response = await callApi(organizations, {
      method: 'GET',
      path: '/api/v2/organizations/show_many.json',
      query: { ids: `${b.body.organization.id},${a.body.organization.id}` },
      caller: asAgent(),
    });
    expect(response.body.organizations.map((o: { name: string }) => o.name)).toEqual(['Many A', 'Many B']);
    const external = await callApi(organizations, {
      method: 'GET',
      path: '/api/v2/organizations/show_many.json',
      query: { external_ids: 'M-A' },
      caller: asAgent(),
    });
    expect(external.body.organizations.map((o: { name: string }) => o.name)).toEqual(['Many A']);
  });

  it('deletes (204), clears its users’ organization and frees its domains', async () => {
    const org = await createOrg({ name: 'Doomed Co', domain_names: ['doomed.test'] });
    const id = org.body.organization.id;
    const members = await Promise.all(
      ['a', 'b', 'c'].map((name) => createUser({ name, email: `${name}@doomed.test` }, NOW)),
    );
    expect(members.every((member) => member.organization_id === id)).toBe(true);
    const listed = await callApi(users, {
      method: 'GET',
      path: `/api/v2/organizations/${id}/users.json`,
      caller: asAgent(),
    });
    expect(listed.body.users).toHaveLength(3);

    const response = await callApi(organizations, {
      method: 'DELETE',
      path: `/api/v2/organizations/${id}.json`,
      caller: asAdmin(),
    });
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    for (const member of members) expect((await getUser(member.id))?.organization_id).toBeNull();
    expect(await findOrganizationIdByDomain('doomed.test')).toBeUndefined();
    const gone = await callApi(organizations, {
      method: 'GET',
      path: `/api/v2/organizations/${id}.json`,
      caller: asAgent(),
    });
    expect(gone.status).toBe(404);
    const usersGone = await callApi(users, {
      method: 'GET',
      path: `/api/v2/organizations/${id}/users.json`,
      caller: asAgent(),
    });
    expect(usersGone.status).toBe(404);
  });
});

describe('pagination', () => {
  it('pages organizations by cursor, with absolute links and next:null on the last page', async () => {
    const seen: string[] = [];
    let path: string | null = '/api/v2/organizations.json?page%5Bsize%5D=3';
    let pages = 0;
    while (path) {
      const response = await callApi(organizations, { method: 'GET', path, caller: asAgent() });
      expect(response.status).toBe(200);
      pages++;
      seen.push(...response.body.organizations.map((o: { name: string }) => o.name));
      const next: string | null = response.body.links.next;
      if (next) {
        expect(next.startsWith(`${PUBLIC_URL}/api/v2/organizations.json?`)).toBe(true);
        expect(response.body.meta.has_more).toBe(true);
        path = next.slice(PUBLIC_URL.length);
      } else {
        expect(response.body.meta.has_more).toBe(false);
        path = null;
      }
    }
    const all = await callApi(organizations, {
      method: 'GET',
      path: '/api/v2/organizations.json',
      caller: asAgent(),
    });
    expect(seen).toEqual(all.body.organizations.map((o: { name: string }) => o.name));
    expect(pages).toBe(Math.ceil(seen.length / 3));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('pages users by offset with next_page, previous_page and count', async () => {
    const first = await callApi(users, {
      method: 'GET',
      path: '/api/v2/users.json?per_page=2',
      caller: asAgent(),
    });
    const total = first.body.count;
    expect(total).toBeGreaterThan(2);
    expect(first.body.users).toHaveLength(2);
    expect(first.body.previous_page).toBeNull();
    expect(first.body.next_page).toBe(`${PUBLIC_URL}/api/v2/users.json?per_page=2&page=2`);
    const lastPage = Math.ceil(total / 2);
    const last = await callApi(users, {
      method: 'GET',
      path: `/api/v2/users.json?per_page=2&page=${lastPage}`,
      caller: asAgent(),
    });
    expect(last.body.next_page).toBeNull();
    expect(last.body.previous_page).toContain(`page=${lastPage - 1}`);
    expect(last.body.count).toBe(total);
  });

  it('filters users by role', async () => {
    const response = await callApi(users, {
      method: 'GET',
      path: '/api/v2/users.json?role=agent&page%5Bsize%5D=1',
      caller: asAgent(),
    });
    expect(response.body.users.map((u: { id: number }) => u.id)).toEqual([agent.id]);
    expect(response.body.links.next).toBeNull();
  });

  it('rejects a forged cursor with 400', async () => {
    const response = await callApi(organizations, {
      method: 'GET',
      path: '/api/v2/organizations.json?page%5Bsize%5D=2&page%5Bafter%5D=bogus',
      caller: asAgent(),
    });
    expect(response.status).toBe(400);
  });
});
