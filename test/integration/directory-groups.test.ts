import { beforeAll, describe, expect, it } from 'vitest';
import { handler as groups } from '../../functions/api/groups.ts';
import { handler as users } from '../../functions/api/users.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { isGroupMember } from '../../shared/store/directory/group-memberships.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

const NOW = '2026-01-05T10:00:00Z';
let admin: User;
let agent: User;
let endUser: User;
const asAdmin = () => ({ userId: admin.id, role: admin.role });
const asAgent = () => ({ userId: agent.id, role: agent.role });

const createGroup = async (name: string): Promise<number> => {
  const response = await callApi(groups, {
    method: 'POST',
    path: '/api/v2/groups.json',
    caller: asAdmin(),
    body: { group: { name, description: `${name} desk` } },
  });
  expect(response.status).toBe(201);
  return response.body.group.id;
};

const addMember = (userId: number, groupId: number) =>
  callApi(groups, {
    method: 'POST',
    path: '/api/v2/group_memberships.json',
    caller: asAdmin(),
    body: { group_membership: { user_id: userId, group_id: groupId } },
  });

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Alan', email: 'alan@relaydesk.test', role: 'agent' }, NOW);
  endUser = await createUser({ name: 'Erin', email: 'erin@customer.test' }, NOW);
});

describe('groups', () => {
  it('creates, shows, updates and soft-deletes a group', async () => {
    const id = await createGroup('Billing');
    const updated = await callApi(groups, {
      method: 'PUT',
      path: `/api/v2/groups/${id}.json`,
      caller: asAdmin(),
      body: { group: { name: 'Billing & Refunds' } },
    });
    expect(updated.body.group).toMatchObject({
      id,
      name: 'Billing & Refunds',
      description: 'Billing desk',
      deleted: false,
    });
    const agentWrite = await callApi(groups, {
      method: 'PUT',
      path: `/api/v2/groups/${id}.json`,
      caller: asAgent(),
      body: { group: { name: 'x' } },
    });
    expect(agentWrite.status).toBe(403);

    const deleted = await callApi(groups, {
      method: 'DELETE',
      path: `/api/v2/groups/${id}.json`,
      caller: asAdmin(),
    });
    expect(deleted.status).toBe(204);
    const shown = await callApi(groups, {
      method: 'GET',
      path: `/api/v2/groups/${id}.json`,
      caller: asAgent(),
    });
    expect(shown.status).toBe(404);
    const assignable = await callApi(groups, {
      method: 'GET',
      path: '/api/v2/groups/assignable.json',
      caller: asAgent(),
    });
    expect(assignable.body.groups.map((g: { id: number }) => g.id)).not.toContain(id);
  });

  it('requires a group name', async () => {
    const response = await callApi(groups, {
      method: 'POST',
      path: '/api/v2/groups.json',
      caller: asAdmin(),
      body: { group: { description: 'nameless' } },
    });
    expect(response.status).toBe(422);
    expect(response.body.details.name).toBeDefined();
  });
});

describe('group memberships', () => {
  it('adds an agent once, lists it every way, and answers isGroupMember', async () => {
    const groupId = await createGroup('Tier 1');
    const otherGroupId = await createGroup('Tier 2');
    expect(await isGroupMember(agent.id, groupId)).toBe(false);

    const created = await addMember(agent.id, groupId);
    expect(created.status).toBe(201);
    expect(created.body.group_membership).toMatchObject({
      user_id: agent.id,
      group_id: groupId,
      default: true,
    });
    const membershipId = created.body.group_membership.id;
    expect(await isGroupMember(agent.id, groupId)).toBe(true);
    expect(await isGroupMember(agent.id, otherGroupId)).toBe(false);

    const duplicate = await addMember(agent.id, groupId);
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.details.user_id).toBeDefined();

    const second = await addMember(agent.id, otherGroupId);
    expect(second.body.group_membership.default).toBe(false);

    const byGroup = await callApi(groups, {
      method: 'GET',
      path: `/api/v2/groups/${groupId}/memberships.json`,
      caller: asAgent(),
    });
    expect(byGroup.body.group_memberships.map((m: { id: number }) => m.id)).toEqual([membershipId]);
    const byUser = await callApi(groups, {
      method: 'GET',
      path: `/api/v2/users/${agent.id}/group_memberships.json`,
      caller: asAgent(),
    });
    expect(byUser.body.group_memberships).toHaveLength(2);
    const all = await callApi(groups, {
      method: 'GET',
      path: '/api/v2/group_memberships.json?page%5Bsize%5D=100',
      caller: asAgent(),
    });
    expect(all.body.group_memberships.length).toBeGreaterThanOrEqual(2);
    expect(all.body.links.next).toBeNull();
    const members = await callApi(users, {
      method: 'GET',
      path: `/api/v2/groups/${groupId}/users.json`,
      caller: asAgent(),
    });
    expect(members.body.users.map((u: { id: number }) => u.id)).toEqual([agent.id]);

    const shown = await callApi(groups, {
      method: 'GET',
      path: `/api/v2/group_memberships/${membershipId}.json`,
      caller: asAgent(),
    });
    expect(shown.body.group_membership.id).toBe(membershipId);
    const removed = await callApi(groups, {
      method: 'DELETE',
      path: `/api/v2/group_memberships/${membershipId}.json`,
      caller: asAdmin(),
    });
    expect(removed.status).toBe(204);
    expect(await isGroupMember(agent.id, groupId)).toBe(false);
    expect((await addMember(agent.id, groupId)).status).toBe(201);
  });

  it.each([
    ['an end-user', () => endUser.id, 'user_id'],
    ['an unknown user', () => 999_999, 'user_id'],
  ])('refuses %s as a member (422)', async (_, userId, field) => {
    const groupId = await createGroup(`Refusing ${field} ${userId()}`);
    const response = await addMember(userId(), groupId);
    expect(response.status).toBe(422);
    expect(response.body.details[field]).toBeDefined();
  });

  it('refuses an unknown group (422) and lets only admins add members', async () => {
    const unknown = await addMember(agent.id, 999_999);
    expect(unknown.status).toBe(422);
    expect(unknown.body.details.group_id).toBeDefined();
    const groupId = await createGroup('Admins only');
    const byAgent = await callApi(groups, {
      method: 'POST',
      path: '/api/v2/group_memberships.json',
      caller: asAgent(),
      body: { group_membership: { user_id: agent.id, group_id: groupId } },
    });
    expect(byAgent.status).toBe(403);
  });

  it('drops memberships when the group is deleted or the agent becomes an end-user', async () => {
    const groupId = await createGroup('Short lived');
    const temp = await createUser({ name: 'Temp', email: 'temp@relaydesk.test', role: 'agent' }, NOW);
    await addMember(temp.id, groupId);
    const keepGroupId = await createGroup('Kept');
    await addMember(temp.id, keepGroupId);
    await callApi(groups, { method: 'DELETE', path: `/api/v2/groups/${groupId}.json`, caller: asAdmin() });
    expect(await isGroupMember(temp.id, groupId)).toBe(false);
    expect(await isGroupMember(temp.id, keepGroupId)).toBe(true);
    const demoted = await callApi(users, {
      method: 'PUT',
      path: `/api/v2/users/${temp.id}.json`,
      caller: asAdmin(),
      body: { user: { role: 'end-user' } },
    });
    expect(demoted.status).toBe(200);
    expect(await isGroupMember(temp.id, keepGroupId)).toBe(false);
  });
});
