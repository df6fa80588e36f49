import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as webhooks } from '../../functions/api/webhooks.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { ALLOW_LOOPBACK_VARIABLE } from '../../shared/net/webhook-network-policy.ts';
import { getWebhook } from '../../shared/store/webhooks.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

const NOW = '2026-01-05T10:00:00Z';
let admin: User;
let agent: User;
const asAdmin = () => ({ userId: admin.id, role: admin.role });

const definition = (overrides: Record<string, unknown> = {}) => ({
  name: 'Order system',
  status: 'active',
  endpoint: 'https://hooks.example.com/zendesk',
  http_method: 'POST',
  request_format: 'json',
  subscriptions: ['conditional_ticket_events'],
  ...overrides,
});

const create = (overrides: Record<string, unknown> = {}) =>
  callApi(webhooks, {
    method: 'POST',
    path: '/api/v2/webhooks',
    caller: asAdmin(),
    body: { webhook: definition(overrides) },
  });

const show = (id: string) =>
  callApi(webhooks, { method: 'GET', path: `/api/v2/webhooks/${id}`, caller: asAdmin() });

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Alan', email: 'alan@relaydesk.test', role: 'agent' }, NOW);
});

afterEach(() => {
  delete process.env[ALLOW_LOOPBACK_VARIABLE];
});

describe('the webhooks API', () => {
  it('creates a webhook with a ULID and shows it without its secrets', async () => {
    const created = await create({
      description: 'Sync orders',
      authentication: {
        type: 'basic_auth',
        add_position: 'header',
        data: { username: 'zd', password: 's3cret' },
      },
      custom_headers: { 'X-Tenant': 'acme' },
    });
    expect(created.status).toBe(201);
    const { webhook } = created.body;
    expect(webhook.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(created.headers.Location).toBe(`https://help.example.test/api/v2/webhooks/${webhook.id}`);
    expect(webhook).toMatchObject({
      name: 'Order system',
      description: 'Sync orders',
      status: 'active',
      endpoint: 'https://hooks.example.com/zendesk',
      http_method: 'POST',
      request_format: 'json',
      subscriptions: ['conditional_ticket_events'],
      authentication: { type: 'basic_auth', add_position: 'header', data: { username: 'zd' } },
      custom_headers: { 'X-Tenant': 'acme' },
      created_by: String(admin.id),
    });
    expect(JSON.stringify(webhook)).not.toContain('s3cret');
    expect(webhook.signing_secret).toBeUndefined();

    const shown = await show(webhook.id);
    expect(shown.status).toBe(200);
    expect(shown.body.webhook).toEqual(webhook);
    expect(JSON.stringify(shown.body)).not.toContain('s3cret');
  });

  it('lists webhooks in creation order with cursor pages whose links have no .json', async () => {
    const first = (await create({ name: 'List A' })).body.webhook.id;
    const second = (await create({ name: 'List B' })).body.webhook.id;
    const page = await callApi(webhooks, {
      method: 'GET',
      path: '/api/v2/webhooks',
      query: { 'page[size]': 1 },
      caller: asAdmin(),
    });
    expect(page.status).toBe(200);
    expect(page.body.webhooks).toHaveLength(1);
    expect(page.body.meta.has_more).toBe(true);
    expect(page.body.links.next).toMatch(/^https:\/\/help\.example\.test\/api\/v2\/webhooks\?/);

    const all = await callApi(webhooks, { method: 'GET', path: '/api/v2/webhooks', caller: asAdmin() });
    const ids: string[] = all.body.webhooks.map((webhook: { id: string }) => webhook.id);
    expect(ids.indexOf(first)).toBeLessThan(ids.indexOf(second));
    expect(all.body.next_page).toBeNull();
  });

  it('replaces a webhook with PUT, keeping a secret the client could not send back', async () => {
    const { id } = (
      await create({
        authentication: { type: 'bearer_token', add_position: 'header', data: { token: 'tok-1' } },
      })
    ).body.webhook;
    const shown = (await show(id)).body.webhook;
    const put = await callApi(webhooks, {
      method: 'PUT',
      path: `/api/v2/webhooks/${id}`,
      caller: asAdmin(),
      body: { webhook: { ...shown, name: 'Renamed', status: 'inactive' } },
    });
    expect(put.status).toBe(204);
    const stored = await getWebhook(id);
    expect(stored).toMatchObject({ name: 'Renamed', status: 'inactive', version: 2 });
    expect(stored?.authentication).toEqual({
      type: 'bearer_token',
      add_position: 'header',
      data: { token: 'tok-1' },
    });
  });

  it('patches only the fields sent; null removes', async () => {
    const { id } = (await create({ description: 'Before', custom_headers: { 'X-One': '1', 'X-Two': '2' } }))
      .body.webhook;
    const patch = await callApi(webhooks, {
      method: 'PATCH',
      path: `/api/v2/webhooks/${id}`,
      caller: asAdmin(),
      body: { webhook: { description: null, custom_headers: { 'X-One': null, 'X-Three': '3' } } },
    });
    expect(patch.status).toBe(204);
    expect((await show(id)).body.webhook).toMatchObject({
      name: 'Order system',
      description: null,
      custom_headers: { 'X-Two': '2', 'X-Three': '3' },
    });
  });

  it('deletes a webhook', async () => {
    const { id } = (await create()).body.webhook;
    const deleted = await callApi(webhooks, {
      method: 'DELETE',
      path: `/api/v2/webhooks/${id}`,
      caller: asAdmin(),
    });
    expect(deleted.status).toBe(204);
    expect((await show(id)).status).toBe(404);
    expect(
      (await callApi(webhooks, { method: 'DELETE', path: `/api/v2/webhooks/${id}`, caller: asAdmin() }))
        .status,
    ).toBe(404);
  });

  it('shows and resets the signing secret', async () => {
    const { id } = (await create()).body.webhook;
    const shown = await callApi(webhooks, {
      method: 'GET',
      path: `/api/v2/webhooks/${id}/signing_secret`,
      caller: asAdmin(),
    });
    expect(shown.status).toBe(200);
    expect(shown.body.signing_secret.algorithm).toBe('SHA256');
    expect(shown.body.signing_secret.secret).toMatch(/^[\w-]{40,}$/);
    const reset = await callApi(webhooks, {
      method: 'POST',
      path: `/api/v2/webhooks/${id}/signing_secret`,
      caller: asAdmin(),
    });
    expect(reset.status).toBe(201);
    expect(reset.body.signing_secret.secret).not.toBe(shown.body.signing_secret.secret);
    expect((await getWebhook(id))?.signing_secret).toBe(reset.body.signing_secret.secret);
  });

  it('answers 404 for ids that are not ULIDs or name no webhook', async () => {
    expect((await show('12345')).status).toBe(404);
    expect((await show('01JD0000000000000000000000')).body).toEqual({
      error: 'RecordNotFound',
      description: 'Not found',
    });
  });

  it('is for admins only', async () => {
    const listed = await callApi(webhooks, {
      method: 'GET',
      path: '/api/v2/webhooks',
      caller: { userId: agent.id, role: agent.role },
    });
    expect(listed.status).toBe(403);
  });
});

describe('webhook validation', () => {
  it.each([
    ['a missing name', { name: undefined }, 'name'],
    ['an unknown method', { http_method: 'TRACE' }, 'http_method'],
    ['an unknown format', { request_format: 'yaml' }, 'request_format'],
    ['an event subscription', { subscriptions: ['zen:event-type:user.created'] }, 'subscriptions'],
    ['plain http', { endpoint: 'http://hooks.example.com/' }, 'endpoint'],
    ['the metadata service', { endpoint: 'https://169.254.169.254/latest' }, 'endpoint'],
    ['a private address', { endpoint: 'https://10.0.0.8/hook' }, 'endpoint'],
    ['loopback outside the local runtime', { endpoint: 'http://127.0.0.1:9000/hook' }, 'endpoint'],
    [
      'a reserved custom header',
      { custom_headers: { 'x-zendesk-webhook-signature': 'x' } },
      'custom_headers',
    ],
    [
      'basic auth without a password',
      { authentication: { type: 'basic_auth', data: { username: 'zd' } } },
      'authentication',
    ],
    ['an unknown authentication type', { authentication: { type: 'oauth', data: {} } }, 'type'],
  ])('refuses %s with a 422 naming the field', async (_case, overrides, field) => {
    const response = await create(overrides);
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('RecordInvalid');
    expect(Object.keys(response.body.details)).toContain(field);
  });

  it('accepts loopback http when the local runtime allows it', async () => {
    process.env[ALLOW_LOOPBACK_VARIABLE] = '1';
    expect((await create({ endpoint: 'http://127.0.0.1:9000/hook' })).status).toBe(201);
  });

  it('checks the endpoint again on PATCH', async () => {
    const { id } = (await create()).body.webhook;
    const patch = await callApi(webhooks, {
      method: 'PATCH',
      path: `/api/v2/webhooks/${id}`,
      caller: asAdmin(),
      body: { webhook: { endpoint: 'https://[fd00::1]/hook' } },
    });
    expect(patch.status).toBe(422);
    expect(patch.body.details.endpoint[0].description).toContain('private address');
    expect((await getWebhook(id))?.endpoint).toBe('https://hooks.example.com/zendesk');
  });
});
