import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as webhooksApi } from '../../functions/api/webhooks.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { webhookSignature } from '../../shared/domain/webhooks/signature.ts';
import { sendPinned } from '../../shared/net/pinned-request.ts';
import { ALLOW_LOOPBACK_VARIABLE } from '../../shared/net/webhook-network-policy.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import {
  TEST_RESPONSE_BODY_BYTES,
  TEST_SIGNING_SECRET,
  testWebhook,
} from '../../shared/use-cases/webhooks/test-webhook.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { type ReceivedRequest, useWebhookReceiver } from '../support/webhook-receiver.ts';
import { inProcessZendeskClient } from '../support/zendesk-client.ts';

useTestTables();

const receiver = useWebhookReceiver();
const { received, script } = receiver;

let admin: User;
let agent: User;
const NOW = '2026-11-25T09:00:00.000Z';

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' }, NOW);
});

beforeEach(() => {
  process.env[ALLOW_LOOPBACK_VARIABLE] = '1';
  received.length = 0;
  script.length = 0;
});

afterEach(() => {
  delete process.env[ALLOW_LOOPBACK_VARIABLE];
});

const asAdmin = () => ({ userId: admin.id, role: admin.role });

const test = (body: unknown, webhookId?: string) =>
  callApi(webhooksApi, {
    method: 'POST',
    path: webhookId ? `/api/v2/webhooks/test?webhook_id=${webhookId}` : '/api/v2/webhooks/test',
    caller: asAdmin(),
    body,
  });

const testRequest = (overrides: Record<string, unknown> = {}) => ({
  request: {
    endpoint: `${receiver.url()}/hooks/test`,
    http_method: 'POST',
    request_format: 'json',
    payload: '{"ticket":{"id":1}}',
    ...overrides,
  },
});

const createWebhook = async () => {
  const created = await callApi(webhooksApi, {
    method: 'POST',
    path: '/api/v2/webhooks',
    caller: asAdmin(),
    body: {
      webhook: {
        name: 'Orders',
        status: 'active',
        endpoint: `${receiver.url()}/hooks/stored`,
        http_method: 'POST',
        request_format: 'json',
        subscriptions: ['conditional_ticket_events'],
        authentication: {
          type: 'api_key',
          add_position: 'header',
          data: { name: 'X-Api-Key', value: 'k-1' },
        },
        custom_headers: { 'X-Tenant': 'acme' },
      },
    },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.webhook.id;
  const secret = await callApi(webhooksApi, {
    method: 'GET',
    path: `/api/v2/webhooks/${id}/signing_secret`,
    caller: asAdmin(),
  });
  return { id, secret: secret.body.signing_secret.secret as string };
};

describe('POST /api/v2/webhooks/test', () => {
  it('sends one signed request for an unsaved webhook and reports the answer in Zendesk’s shape', async () => {
    script.push({ status: 201, headers: { 'X-Receiver': 'yes' }, body: 'created' });
    const response = await test(
      testRequest({
        headers: [{ key: 'X-Tenant', value: 'acme' }],
        authentication: { type: 'bearer_token', add_position: 'header', data: { token: 'tok-1' } },
      }),
    );

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      response: { status: 201, headers: expect.any(Array), body: 'created' },
    });
    expect(response.body.response.headers).toContainEqual({ key: 'X-Receiver', value: 'yes' });
    expect(received).toHaveLength(1);
    const [call] = received as [ReceivedRequest];
    expect(call).toMatchObject({ method: 'POST', url: '/hooks/test', body: '{"ticket":{"id":1}}' });
    expect(call.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      authorization: 'Bearer tok-1',
      'x-tenant': 'acme',
      'x-zendesk-webhook-id': 'test',
    });
    expect(call.headers['x-zendesk-webhook-invocation-id']).toEqual(expect.any(String));
    const timestamp = String(call.headers['x-zendesk-webhook-signature-timestamp']);
    expect(call.headers['x-zendesk-webhook-signature']).toBe(
      webhookSignature(TEST_SIGNING_SECRET, timestamp, call.body),
    );
  });

  it('tests a stored webhook with its signing secret, authentication and headers, recording nothing', async () => {
    const { id, secret } = await createWebhook();
    const response = await test(testRequest(), id);

    expect(response.status).toBe(200);
    expect(response.body.response).toMatchObject({ status: 200, body: 'ok' });
    const [call] = received as [ReceivedRequest];
    expect(call.headers).toMatchObject({
      'x-api-key': 'k-1',
      'x-tenant': 'acme',
      'x-zendesk-webhook-id': id,
    });
    const timestamp = String(call.headers['x-zendesk-webhook-signature-timestamp']);
    expect(call.headers['x-zendesk-webhook-signature']).toBe(webhookSignature(secret, timestamp, call.body));

    const invocations = await callApi(webhooksApi, {
      method: 'GET',
      path: `/api/v2/webhooks/${id}/invocations`,
      caller: asAdmin(),
    });
    expect(invocations.body.invocations).toEqual([]);
  });

  it('works with node-zendesk’s webhooks.test (it posts to //webhooks/test?webhook_id=)', async () => {
    const { id } = await createWebhook();
    script.push({ status: 202, body: 'queued' });
    const client = inProcessZendeskClient(webhooksApi, {
      userId: admin.id,
      role: admin.role,
      email: admin.email ?? '',
    });
    const { result } = await client.webhooks.test(testRequest(), id);
    expect(result).toMatchObject({ response: { status: 202, body: 'queued' } });
    expect(received[0]?.headers['x-zendesk-webhook-id']).toBe(id);
  });

  it('shows only the first 4 KB of the receiver’s body', async () => {
    script.push({ status: 500, body: 'x'.repeat(3 * TEST_RESPONSE_BODY_BYTES) });
    const response = await test(testRequest());
    expect(response.body.response.status).toBe(500);
    expect(response.body.response.body).toBe('x'.repeat(TEST_RESPONSE_BODY_BYTES));
  });

  it('reports a redirect without following it', async () => {
    script.push({ status: 302, headers: { Location: `${receiver.url()}/elsewhere` } });
    const response = await test(testRequest({ http_method: 'GET' }));
    expect(response.body.response.status).toBe(302);
    expect(response.body.response.headers).toContainEqual({
      key: 'Location',
      value: `${receiver.url()}/elsewhere`,
    });
    expect(received.map((request) => request.url)).toEqual(['/hooks/test']);
  });

  it('answers status 0 with the error when no HTTP answer comes back', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const response = await test(testRequest({ endpoint: `http://127.0.0.1:${port}/gone` }));
    expect(response.status).toBe(200);
    expect(response.body.response).toMatchObject({ status: 0, headers: [], body: '' });
    expect(response.body.response.error).toMatch(/^Request failed: /);
  });

  it.each([
    ['a private address', 'https://10.0.0.1/hook'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data'],
    ['plain http', 'http://hooks.example.com/hook'],
  ])('refuses %s with a 422 naming endpoint, sending nothing', async (_case, endpoint) => {
    const response = await test(testRequest({ endpoint }));
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('RecordInvalid');
    expect(Object.keys(response.body.details)).toEqual(['endpoint']);
    expect(received).toHaveLength(0);
  });

  it('refuses loopback receivers outside the local runtime', async () => {
    delete process.env[ALLOW_LOOPBACK_VARIABLE];
    const response = await test(testRequest({ endpoint: receiver.url().replace('http:', 'https:') }));
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.details)).toEqual(['endpoint']);
    expect(received).toHaveLength(0);
  });

  it('refuses a host name that resolves to a private address (422 on endpoint), sending nothing', async () => {
    const refused = testWebhook(
      {
        endpoint: 'https://orders.internal.example/hook',
        http_method: 'POST',
        request_format: 'json',
      },
      undefined,
      {
        policy: { allowLoopback: false },
        resolve: async () => [
          { address: '203.0.113.7', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ],
        send: (request, addresses) => sendPinned(request, addresses, { timeoutMs: 5_000 }),
        now: () => new Date(NOW),
        monotonicMs: () => performance.now(),
      },
    );
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ details: { endpoint: [expect.anything()] } });
    expect(received).toHaveLength(0);
  });

  // Bodies are built inside the test: the receiver's URL exists only once the suite has started.
  it.each([
    ['no request', () => ({}), 'request'],
    ['an unknown method', () => testRequest({ http_method: 'TRACE' }), 'http_method'],
    ['an unknown format', () => testRequest({ request_format: 'yaml' }), 'request_format'],
    ['headers as an object', () => testRequest({ headers: { 'X-A': 'b' } }), 'headers'],
    ['a payload that is not a string', () => testRequest({ payload: { a: 1 } }), 'payload'],
    [
      'a header the signature sets',
      () => testRequest({ headers: [{ key: 'x-zendesk-webhook-signature', value: 'forged' }] }),
      'headers',
    ],
    [
      'a header given twice',
      () =>
        testRequest({
          headers: [
            { key: 'X-A', value: '1' },
            { key: 'x-a', value: '2' },
          ],
        }),
      'headers',
    ],
    [
      'bearer authentication without a token',
      () => testRequest({ authentication: { type: 'bearer_token', add_position: 'header' } }),
      'authentication',
    ],
  ])('refuses %s with a 422 naming the field', async (_case, body, field) => {
    const response = await test(body());
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.details)).toContain(field);
    expect(received).toHaveLength(0);
  });

  it('answers 404 for a webhook_id that names no webhook', async () => {
    expect((await test(testRequest(), '01JD0000000000000000000000')).status).toBe(404);
    expect((await test(testRequest(), 'not-a-ulid')).status).toBe(404);
    expect(received).toHaveLength(0);
  });

  it('is for admins only', async () => {
    const response = await callApi(webhooksApi, {
      method: 'POST',
      path: '/api/v2/webhooks/test',
      caller: { userId: agent.id, role: agent.role },
      body: testRequest(),
    });
    expect(response.status).toBe(403);
    expect(received).toHaveLength(0);
  });
});
