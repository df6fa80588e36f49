import { beforeAll, describe, expect, it } from 'vitest';
import { handler as apiTokens } from '../../functions/api/api-tokens.ts';
import { handler as users } from '../../functions/api/users.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { authenticate } from '../../shared/use-cases/authenticate.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { deleteUser } from '../../shared/use-cases/users/delete-user.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

const NOW = '2026-01-05T10:00:00Z';
let admin: User;
let agent: User;
let endUser: User;
const asAdmin = () => ({ userId: admin.id, role: admin.role });

const basic = (email: string, token: string) =>
  `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;

const newToken = async (description: string): Promise<{ id: number; token: string }> => {
  const response = await callApi(apiTokens, {
    method: 'POST',
    path: '/api/v2/api_tokens.json',
    caller: asAdmin(),
    body: { api_token: { description } },
  });
  expect(response.status).toBe(201);
  return response.body.api_token;
};

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Alan', email: 'alan@relaydesk.test', role: 'agent' }, NOW);
  endUser = await createUser({ name: 'Erin', email: 'erin@customer.test' }, NOW);
});

describe('API tokens', () => {
  it('shows the token once at creation and only a hint in lists', async () => {
    const created = await callApi(apiTokens, {
      method: 'POST',
      path: '/api/v2/api_tokens.json',
      caller: asAdmin(),
      body: { api_token: { description: 'CRM sync' } },
    });
    expect(created.body.api_token).toMatchObject({
      description: 'CRM sync',
      token: expect.stringMatching(/^[\w-]{30,}$/),
      url: `https://help.example.test/api/v2/api_tokens/${created.body.api_token.id}.json`,
    });
    const listed = await callApi(apiTokens, {
      method: 'GET',
      path: '/api/v2/api_tokens.json',
      caller: asAdmin(),
    });
    const entry = listed.body.api_tokens.find((t: { id: number }) => t.id === created.body.api_token.id);
    expect(entry).toEqual({
      id: created.body.api_token.id,
      url: created.body.api_token.url,
      description: 'CRM sync',
      token_hint: created.body.api_token.token.slice(-4),
      created_at: expect.any(String),
    });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.api_token.token);
    expect(JSON.stringify(listed.body)).not.toContain('hash');
  });

  it.each([['agent'], ['end-user']] as const)('is admin-only (%s → 403)', async (role) => {
    const caller = { userId: role === 'agent' ? agent.id : endUser.id, role };
    const list = await callApi(apiTokens, { method: 'GET', path: '/api/v2/api_tokens.json', caller });
    expect(list.status).toBe(403);
  });

  it('authenticates with a valid token and stops the moment it is revoked', async () => {
    const { id, token } = await newToken('short lived');
    expect(await authenticate({ authorization: basic('ALAN@relaydesk.test', token) })).toMatchObject({
      status: 'authenticated',
      userId: agent.id,
      role: 'agent',
      email: 'alan@relaydesk.test',
    });
    const revoked = await callApi(apiTokens, {
      method: 'DELETE',
      path: `/api/v2/api_tokens/${id}.json`,
      caller: asAdmin(),
    });
    expect(revoked.status).toBe(204);
    expect(await authenticate({ authorization: basic('alan@relaydesk.test', token) })).toMatchObject({
      status: 'rejected',
      reason: 'invalid_credentials',
    });
    const again = await callApi(apiTokens, {
      method: 'DELETE',
      path: `/api/v2/api_tokens/${id}.json`,
      caller: asAdmin(),
    });
    expect(again.status).toBe(404);
  });

  it('rejects a wrong token, an unknown email, and no header means anonymous', async () => {
    const { token } = await newToken('checks');
    expect((await authenticate({ authorization: basic('alan@relaydesk.test', `${token}x`) })).status).toBe(
      'rejected',
    );
    expect((await authenticate({ authorization: basic('ghost@relaydesk.test', token) })).status).toBe(
      'rejected',
    );
    expect((await authenticate({ authorization: 'Bearer abc' })).status).toBe('rejected');
    expect(await authenticate({})).toEqual({ status: 'anonymous' });
  });

  it('rejects a deleted (inactive) user, and the route answers 401', async () => {
    const { token } = await newToken('inactive');
    const leaver = await createUser({ name: 'Leaver', email: 'leaver@customer.test' }, NOW);
    expect((await authenticate({ authorization: basic('leaver@customer.test', token) })).status).toBe(
      'authenticated',
    );
    await deleteUser(leaver.id, NOW, { userId: admin.id, role: 'admin' });
    const context = await authenticate({ authorization: basic('leaver@customer.test', token) });
    expect(context).toEqual({ status: 'rejected', reason: 'invalid_credentials' });
    const response = await callApi(users, {
      method: 'GET',
      path: '/api/v2/users/me.json',
      caller: { rejected: 'invalid_credentials' },
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: "Couldn't authenticate you" });
  });

  describe('X-On-Behalf-Of', () => {
    it('lets an admin act as an end-user, named by email or id', async () => {
      const { token } = await newToken('impersonation');
      for (const onBehalfOf of ['Erin@customer.test', String(endUser.id)]) {
        expect(
          await authenticate({ authorization: basic(admin.email as string, token), onBehalfOf }),
        ).toMatchObject({
          status: 'authenticated',
          userId: endUser.id,
          role: 'end-user',
          email: 'erin@customer.test',
        });
      }
    });

    it('forbids an agent impersonating anyone (403 at the route)', async () => {
      const { token } = await newToken('agent impersonation');
      const context = await authenticate({
        authorization: basic(agent.email as string, token),
        onBehalfOf: 'erin@customer.test',
      });
      expect(context).toEqual({ status: 'rejected', reason: 'on_behalf_of_forbidden' });
      const response = await callApi(users, {
        method: 'GET',
        path: '/api/v2/users/me.json',
        caller: { rejected: 'on_behalf_of_forbidden' },
      });
      expect(response.status).toBe(403);
    });

    it('forbids an admin impersonating staff or unknown users', async () => {
      const { token } = await newToken('admin to agent');
      for (const onBehalfOf of ['alan@relaydesk.test', 'nobody@example.com']) {
        expect(
          await authenticate({ authorization: basic(admin.email as string, token), onBehalfOf }),
        ).toEqual({
          status: 'rejected',
          reason: 'on_behalf_of_forbidden',
        });
      }
    });
  });
});
