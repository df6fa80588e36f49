/**
 * Our directory responses against Zendesk's own OpenAPI schemas. The document is narrower than the
 * live API in a few places; each gap we accept is listed here, so a new mismatch fails the test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as groups } from '../../functions/api/groups.ts';
import { handler as organizations } from '../../functions/api/organizations.ts';
import { handler as users } from '../../functions/api/users.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { createDirectoryField } from '../../shared/use-cases/fields/manage-fields.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { validateAgainst } from '../support/openapi.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

const NOW = '2026-01-05T10:00:00Z';

/**
 * Zendesk answers null for these on users that have none (never logged in, no alias, no signature, no
 * email identity, no default group), although UserForAdmin does not mark them nullable.
 */
const USER_GAPS = {
  nullable: { UserForAdmin: ['alias', 'signature', 'last_login_at', 'default_group_id', 'email'] },
} as const;

let admin: User;
const asAdmin = () => ({ userId: admin.id, role: admin.role });

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  // Custom field values are validated against their definitions.
  await createDirectoryField('user_field', { key: 'shift', type: 'text', title: 'Shift' }, NOW);
  await createDirectoryField('organization_field', { key: 'tier', type: 'text', title: 'Tier' }, NOW);
  await createDirectoryField('organization_field', { key: 'seats', type: 'integer', title: 'Seats' }, NOW);
});

describe('OpenAPI contract', () => {
  it('the validator rejects a wrong shape (so the checks below can fail)', () => {
    expect(validateAgainst('OrganizationObject', { id: 'one', name: 5 })).not.toEqual([]);
    expect(validateAgainst('UserResponse', { user: { name: 42, role: 7 } }, USER_GAPS)).not.toEqual([]);
  });

  it.each([
    ['a bare end-user', { name: 'Erin', email: 'erin@customer.test' }],
    [
      'a fully populated agent',
      {
        name: 'Alan',
        email: 'alan@relaydesk.test',
        role: 'agent',
        alias: 'Al',
        phone: '+15551234',
        external_id: 'ext-9',
        details: 'Desk 4',
        notes: 'Night shift',
        signature: 'Cheers',
        tags: ['tier1'],
        user_fields: { shift: 'night' },
        verified: true,
      },
    ],
  ])('serves %s as a UserResponse', async (_, user) => {
    const response = await callApi(users, {
      method: 'POST',
      path: '/api/v2/users.json',
      caller: asAdmin(),
      body: { user },
    });
    expect(response.status).toBe(201);
    expect(validateAgainst('UserResponse', response.body, USER_GAPS)).toEqual([]);
    expect(validateAgainst('UserForAdmin', response.body.user, USER_GAPS)).toEqual([]);
    const me = await callApi(users, { method: 'GET', path: '/api/v2/users/me.json', caller: asAdmin() });
    expect(validateAgainst('UserResponse', me.body, USER_GAPS)).toEqual([]);
  });

  it('serves organizations as OrganizationObject', async () => {
    const response = await callApi(organizations, {
      method: 'POST',
      path: '/api/v2/organizations.json',
      caller: asAdmin(),
      body: {
        organization: {
          name: 'Acme',
          domain_names: ['acme.test'],
          organization_fields: { tier: 'gold', seats: 3 },
          tags: ['vip'],
        },
      },
    });
    expect(validateAgainst('OrganizationObject', response.body.organization)).toEqual([]);
    const bare = await callApi(organizations, {
      method: 'POST',
      path: '/api/v2/organizations.json',
      caller: asAdmin(),
      body: { organization: { name: 'Bare' } },
    });
    expect(validateAgainst('OrganizationObject', bare.body.organization)).toEqual([]);
  });

  it('serves groups as GroupObject and memberships as GroupMembershipObject', async () => {
    const group = await callApi(groups, {
      method: 'POST',
      path: '/api/v2/groups.json',
      caller: asAdmin(),
      body: { group: { name: 'Tier 1' } },
    });
    expect(validateAgainst('GroupObject', group.body.group)).toEqual([]);
    const membership = await callApi(groups, {
      method: 'POST',
      path: '/api/v2/group_memberships.json',
      caller: asAdmin(),
      body: { group_membership: { user_id: admin.id, group_id: group.body.group.id } },
    });
    expect(validateAgainst('GroupMembershipObject', membership.body.group_membership)).toEqual([]);
  });
});
