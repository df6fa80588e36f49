import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as webhooksApi } from '../../functions/api/webhooks.ts';
import { createDeliverWebhooksHandler } from '../../functions/events/deliver-webhooks.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { apiVia } from '../../shared/domain/tickets/ticket.ts';
import { webhookSignature } from '../../shared/domain/webhooks/signature.ts';
import { ticketEventsFromAudit } from '../../shared/events/ticket-events-from-audit.ts';
import { type ResolveHost, systemResolver } from '../../shared/net/checked-addresses.ts';
import { sendPinned } from '../../shared/net/pinned-request.ts';
import { ALLOW_LOOPBACK_VARIABLE } from '../../shared/net/webhook-network-policy.ts';
import { getAudit } from '../../shared/store/tickets/tickets.ts';
import { applyTriggers } from '../../shared/use-cases/rules/apply-triggers.ts';
import { createRule } from '../../shared/use-cases/rules/manage-rules.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi, lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';
import { ticketEventRecord } from '../support/sqs-event.ts';
import { type ReceivedRequest, useWebhookReceiver } from '../support/webhook-receiver.ts';
import { inProcessZendeskClient } from '../support/zendesk-client.ts';

useTestTables();

const receiver = useWebhookReceiver();
const { received, script } = receiver;

let admin: User;
let agent: User;
const delays: number[] = [];
const NOW = '2026-11-25T09:00:00.000Z';

/** Resolves every name to the address a test gives it; used for the private-address case. */
let resolveOverride: ResolveHost | undefined;
const deliver = createDeliverWebhooksHandler({
  ports: {
    policy: { allowLoopback: true },
    resolve: (host) => (resolveOverride ?? systemResolver)(host),
    send: (request, addresses) => sendPinned(request, addresses, { timeoutMs: 5_000 }),
    now: () => new Date('2026-11-25T09:00:05Z'),
    monotonicMs: () => performance.now(),
  },
  backoff: async (_record, delaySeconds) => {
    delays.push(delaySeconds);
  },
});

beforeAll(async () => {
  process.env[ALLOW_LOOPBACK_VARIABLE] = '1';
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' }, NOW);
});

afterAll(() => {
  delete process.env[ALLOW_LOOPBACK_VARIABLE];
});

const api = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) =>
  callApi(webhooksApi, { method, path, caller: { userId: admin.id, role: admin.role }, body });

/** A webhook, and a trigger that calls it for new tickets tagged `tag`. */
const webhookWithTrigger = async (tag: string, endpoint = `${receiver.url()}/hooks/${tag}`) => {
  const created = await api('POST', '/api/v2/webhooks', {
    webhook: {
      name: `Hook ${tag}`,
      status: 'active',
      endpoint,
      http_method: 'POST',
      request_format: 'json',
      subscriptions: ['conditional_ticket_events'],
      authentication: { type: 'bearer_token', add_position: 'header', data: { token: 'tok-123' } },
      custom_headers: { 'X-Tenant': 'acme' },
    },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.webhook.id;
  await createRule(
    'trigger',
    {
      title: `Call ${tag}`,
      conditions: {
        all: [
          { field: 'update_type', operator: 'is', value: 'Create' },
          { field: 'current_tags', operator: 'includes', value: tag },
        ],
      },
      actions: [
        {
          field: 'notification_webhook',
          value: [id, '{"ticket": "{{ticket.id}}", "title": "{{ticket.title}}"}'],
        },
      ],
    },
    NOW,
  );
  return id;
};

/** Creates a tagged ticket, runs its triggers and returns the `webhook.requested` event they led to. */
const webhookEvent = async (tag: string): Promise<SQSRecord> => {
  const { ticket, audit } = await createTicket({
    caller: { userId: agent.id, role: agent.role, email: agent.email ?? '' },
    via: apiVia(),
    now: NOW,
    fields: { subject: `Printer ${tag}`, tags: [tag] },
    comment: { body: 'On fire' },
  });
  const applied = await applyTriggers({ ticketId: ticket.id, auditId: audit.id, now: () => NOW });
  if (applied.result !== 'applied') throw new Error(`triggers did not fire: ${JSON.stringify(applied)}`);
  const ruleAudit = await getAudit(ticket.id, applied.auditId);
  const event = ticketEventsFromAudit(ruleAudit as NonNullable<typeof ruleAudit>).find(
    (candidate) => candidate.detailType === 'webhook.requested',
  );
  if (!event) throw new Error('no webhook.requested event');
  return ticketEventRecord('webhook.requested', event.detail as Record<string, unknown>);
};

const onAttempt = (record: SQSRecord, attempt: number): SQSRecord => ({
  ...record,
  attributes: { ...record.attributes, ApproximateReceiveCount: String(attempt) },
});

const run = (record: SQSRecord) =>
  asFunction('deliver-webhooks', () => deliver({ Records: [record] }, lambdaContext()));

const invocationsOf = async (id: string) =>
  (await api('GET', `/api/v2/webhooks/${id}/invocations`)).body.invocations;

describe('webhook delivery', () => {
  it('sends the rendered body, signed, with authentication and custom headers; a redelivery sends nothing', async () => {
    const id = await webhookWithTrigger('signed');
    const record = await webhookEvent('signed');
    received.length = 0;

    expect(await run(record)).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(1);
    const [call] = received as [ReceivedRequest];
    expect(call.method).toBe('POST');
    expect(call.url).toBe('/hooks/signed');
    expect(JSON.parse(call.body)).toMatchObject({ title: 'Printer signed' });
    expect(call.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      authorization: 'Bearer tok-123',
      'x-tenant': 'acme',
      'x-zendesk-webhook-id': id,
      'x-zendesk-webhook-signature-timestamp': '2026-11-25T09:00:05Z',
    });
    const secret = (await api('GET', `/api/v2/webhooks/${id}/signing_secret`)).body.signing_secret.secret;
    const timestamp = String(call.headers['x-zendesk-webhook-signature-timestamp']);
    expect(call.headers['x-zendesk-webhook-signature']).toBe(webhookSignature(secret, timestamp, call.body));

    expect(await run(record)).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(1);

    const [invocation] = await invocationsOf(id);
    expect(invocation).toMatchObject({
      id: call.headers['x-zendesk-webhook-invocation-id'],
      webhook_id: id,
      status: 'success',
      status_code: 200,
      attempts: 1,
      error: null,
    });
    expect(invocation.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('retries a 500 after a backoff, then succeeds with the same invocation id', async () => {
    const id = await webhookWithTrigger('flaky');
    const record = await webhookEvent('flaky');
    received.length = 0;
    delays.length = 0;
    script.push({ status: 500 });

    expect(await run(onAttempt(record, 1))).toEqual({
      batchItemFailures: [{ itemIdentifier: record.messageId }],
    });
    expect(delays).toEqual([30]);
    expect((await invocationsOf(id))[0]).toMatchObject({ status: 'retrying', status_code: 500, attempts: 1 });

    expect(await run(onAttempt(record, 2))).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(2);
    expect(received[1]?.headers['x-zendesk-webhook-invocation-id']).toBe(
      received[0]?.headers['x-zendesk-webhook-invocation-id'],
    );
    expect((await invocationsOf(id))[0]).toMatchObject({ status: 'success', status_code: 200, attempts: 2 });
  });

  it('lists the attempts of an invocation: a failure, then a success', async () => {
    const id = await webhookWithTrigger('attempts');
    const record = await webhookEvent('attempts');
    script.push({ status: 503 });
    await run(onAttempt(record, 1));
    await run(onAttempt(record, 2));
    const [invocation] = await invocationsOf(id);

    const listed = await api('GET', `/api/v2/webhooks/${id}/invocations/${invocation.id}/attempts`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      attempts: [
        {
          id: `${invocation.id}-1`,
          invocation_id: invocation.id,
          attempt: 1,
          status: 'failed',
          status_code: 503,
          error: 'Endpoint answered 503',
          latency_ms: expect.any(Number),
          attempted_at: '2026-11-25T09:00:05Z',
          completed_at: '2026-11-25T09:00:05Z',
        },
        {
          id: `${invocation.id}-2`,
          invocation_id: invocation.id,
          attempt: 2,
          status: 'success',
          status_code: 200,
          error: null,
          latency_ms: expect.any(Number),
          attempted_at: '2026-11-25T09:00:05Z',
          completed_at: '2026-11-25T09:00:05Z',
        },
      ],
    });

    const client = inProcessZendeskClient(webhooksApi, {
      userId: admin.id,
      role: admin.role,
      email: admin.email ?? '',
    });
    const { result } = await client.webhooks.listInvocationAttempts(id, invocation.id);
    expect(result).toEqual(listed.body);
  });

  it('keeps the last ten attempts of a call', async () => {
    const id = await webhookWithTrigger('ring');
    const record = await webhookEvent('ring');
    for (let attempt = 1; attempt <= 12; attempt++) {
      script.push({ status: 500 });
      await run(onAttempt(record, attempt));
    }
    const [invocation] = await invocationsOf(id);
    expect(invocation).toMatchObject({ status: 'failed', attempts: 12 });
    const listed = await api('GET', `/api/v2/webhooks/${id}/invocations/${invocation.id}/attempts`);
    expect(listed.body.attempts.map((attempt: { attempt: number }) => attempt.attempt)).toEqual([
      3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
  });

  it('answers 404 for attempts of an invocation that does not exist', async () => {
    const id = await webhookWithTrigger('no-attempts');
    expect((await api('GET', `/api/v2/webhooks/${id}/invocations/1-2-3/attempts`)).status).toBe(404);
    expect((await api('GET', `/api/v2/webhooks/${id}/invocations/nope/attempts`)).status).toBe(404);
    expect(
      (await api('GET', '/api/v2/webhooks/01JD0000000000000000000000/invocations/1-2-3/attempts')).status,
    ).toBe(404);
  });

  it('gives up after the last allowed attempt', async () => {
    const id = await webhookWithTrigger('down');
    const record = await webhookEvent('down');
    script.push({ status: 503 });
    expect(await run(onAttempt(record, 8))).toEqual({ batchItemFailures: [] });
    expect((await invocationsOf(id))[0]).toMatchObject({ status: 'failed', status_code: 503 });
  });

  it('does not follow a redirect', async () => {
    const id = await webhookWithTrigger('moved');
    const record = await webhookEvent('moved');
    received.length = 0;
    script.push({ status: 302, headers: { Location: `${receiver.url()}/elsewhere` } });

    expect(await run(record)).toEqual({ batchItemFailures: [] });
    expect(received.map((request) => request.url)).toEqual(['/hooks/moved']);
    expect((await invocationsOf(id))[0]).toMatchObject({
      status: 'failed',
      status_code: 302,
      error: 'Redirect (302) not followed',
    });
  });

  it('refuses an endpoint whose name resolves to a private address, sending nothing', async () => {
    const id = await webhookWithTrigger('internal', 'https://orders.internal.example/hook');
    const record = await webhookEvent('internal');
    received.length = 0;
    resolveOverride = async () => [{ address: '10.0.0.5', family: 4 }];
    try {
      expect(await run(record)).toEqual({ batchItemFailures: [] });
    } finally {
      resolveOverride = undefined;
    }
    expect(received).toHaveLength(0);
    expect((await invocationsOf(id))[0]).toMatchObject({ status: 'failed', status_code: null });
    expect((await invocationsOf(id))[0].error).toContain('10.0.0.5');
  });

  it('drops calls to an inactive webhook', async () => {
    const id = await webhookWithTrigger('paused');
    const record = await webhookEvent('paused');
    expect((await api('PATCH', `/api/v2/webhooks/${id}`, { webhook: { status: 'inactive' } })).status).toBe(
      204,
    );
    received.length = 0;
    expect(await run(record)).toEqual({ batchItemFailures: [] });
    expect(received).toHaveLength(0);
    expect(await invocationsOf(id)).toEqual([]);
  });
});

describe('the pinned request', () => {
  it('connects to the checked address only, whatever the name would resolve to now', async () => {
    received.length = 0;
    const port = new URL(receiver.url()).port;
    // `rebind.invalid` resolves nowhere: reaching the receiver proves the socket used the checked address.
    const response = await sendPinned(
      { url: new URL(`http://rebind.invalid:${port}/pinned`), method: 'POST', headers: {}, body: 'x' },
      [{ address: '127.0.0.1', family: 4 }],
      { timeoutMs: 5_000 },
    );
    expect(response.statusCode).toBe(200);
    expect(received.map((request) => [request.url, request.headers.host])).toEqual([
      ['/pinned', `rebind.invalid:${port}`],
    ]);
  });
});
