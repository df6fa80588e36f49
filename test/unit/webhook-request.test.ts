import { describe, expect, it } from 'vitest';
import { customHeaderProblems } from '../../shared/domain/webhooks/custom-headers.ts';
import {
  finalVerdict,
  MAX_DELIVERY_ATTEMPTS,
  retryDelaySeconds,
  verdictForStatus,
} from '../../shared/domain/webhooks/delivery-policy.ts';
import { webhookSignature } from '../../shared/domain/webhooks/signature.ts';
import { visibleAuthentication, type WebhookAuthentication } from '../../shared/domain/webhooks/webhook.ts';
import { isUlid, ulid } from '../../shared/domain/webhooks/webhook-id.ts';
import { buildWebhookRequest, type WebhookCall } from '../../shared/domain/webhooks/webhook-request.ts';

const TIMESTAMP = '2026-11-25T10:00:00Z';
const BODY = '{"ticket":"42"}';

const call = (webhook: Partial<WebhookCall['webhook']> = {}, body = BODY): WebhookCall => ({
  webhook: {
    id: '01JD0000000000000000000000',
    endpoint: 'https://hooks.example.com/zendesk?source=relaydesk',
    http_method: 'POST',
    request_format: 'json',
    authentication: null,
    custom_headers: {},
    signing_secret: 'whsec-test-secret',
    ...webhook,
  },
  body,
  invocationId: '7-12-3',
  timestamp: TIMESTAMP,
});

describe('the webhook signature', () => {
  it('is base64(HMAC-SHA256(secret, timestamp + body)), as Zendesk documents', () => {
    // Computed independently: printf '2026-11-25T10:00:00Z{"ticket":"42"}' |
    //   openssl dgst -sha256 -hmac 'whsec-test-secret' -binary | base64
    expect(webhookSignature('whsec-test-secret', TIMESTAMP, BODY)).toBe(
      'OkeWoI4v64dxv4GFP6KHkHfNhwvJW3QcafoU63lE3EQ=',
    );
  });

  it('changes with the timestamp, so an old signature cannot be replayed with a new time', () => {
    expect(webhookSignature('whsec-test-secret', '2026-11-25T10:00:01Z', BODY)).not.toBe(
      webhookSignature('whsec-test-secret', TIMESTAMP, BODY),
    );
  });
});

describe('building the request', () => {
  it('sends the rendered body with its content type and the signing headers', () => {
    const request = buildWebhookRequest(call());
    expect(request.method).toBe('POST');
    expect(request.url.href).toBe('https://hooks.example.com/zendesk?source=relaydesk');
    expect(request.body).toBe(BODY);
    expect(request.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'x-zendesk-webhook-id': '01JD0000000000000000000000',
      'x-zendesk-webhook-invocation-id': '7-12-3',
      'x-zendesk-webhook-signature-timestamp': TIMESTAMP,
      'x-zendesk-webhook-signature': 'OkeWoI4v64dxv4GFP6KHkHfNhwvJW3QcafoU63lE3EQ=',
    });
  });

  it.each([
    ['xml', 'application/xml; charset=utf-8'],
    ['form_encoded', 'application/x-www-form-urlencoded'],
  ] as const)('labels a %s body as %s', (format, contentType) => {
    expect(buildWebhookRequest(call({ request_format: format })).headers['Content-Type']).toBe(contentType);
  });

  it.each([
    [
      { type: 'basic_auth', add_position: 'header', data: { username: 'zd', password: 'p@ss' } },
      'Authorization',
      `Basic ${Buffer.from('zd:p@ss').toString('base64')}`,
    ],
    [{ type: 'bearer_token', add_position: 'header', data: { token: 'tok' } }, 'Authorization', 'Bearer tok'],
    [
      { type: 'api_key', add_position: 'header', data: { name: 'X-Api-Key', value: 'k3y' } },
      'X-Api-Key',
      'k3y',
    ],
  ] as [WebhookAuthentication, string, string][])(
    'adds %o as the %s header',
    (authentication, name, value) => {
      expect(buildWebhookRequest(call({ authentication })).headers[name]).toBe(value);
    },
  );

  it('adds custom headers', () => {
    const request = buildWebhookRequest(call({ custom_headers: { 'X-Tenant': 'acme' } }));
    expect(request.headers['X-Tenant']).toBe('acme');
  });

  it('sends GET and DELETE without a body, signing the empty body', () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const request = buildWebhookRequest(call({ http_method: method }));
      expect(request.body).toBeUndefined();
      expect(request.headers['Content-Type']).toBeUndefined();
      expect(request.headers['x-zendesk-webhook-signature']).toBe(
        webhookSignature('whsec-test-secret', TIMESTAMP, ''),
      );
    }
  });

  it('moves a form-encoded body into the query string of a GET', () => {
    const request = buildWebhookRequest(
      call({ http_method: 'GET', request_format: 'form_encoded' }, 'ticket=42&status=open'),
    );
    expect(request.url.searchParams.get('ticket')).toBe('42');
    expect(request.url.searchParams.get('status')).toBe('open');
    expect(request.url.searchParams.get('source')).toBe('relaydesk');
  });
});

describe('custom header rules', () => {
  it.each([
    [{ 'X-Tenant': 'acme' }, null, []],
    [
      { 'Content-Type': 'text/plain' },
      null,
      ['Content-Type is set by Relaydesk and cannot be a custom header'],
    ],
    [
      { 'X-Zendesk-Webhook-Signature': 'forged' },
      null,
      ['X-Zendesk-Webhook-Signature is set by Relaydesk and cannot be a custom header'],
    ],
    [
      { authorization: 'Basic x' },
      { type: 'bearer_token', add_position: 'header', data: { token: 't' } },
      ['authorization is set by Relaydesk and cannot be a custom header'],
    ],
    [{ 'Bad Name': 'x' }, null, ['Bad Name is not a valid header name']],
    [{ 'X-Split': 'a\r\nX-Injected: b' }, null, ['X-Split has a line break in its value']],
    [{ a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' }, null, ['at most 5 custom headers']],
  ] as [Record<string, string>, WebhookAuthentication | null, string[]][])(
    '%o with %o: %o',
    (headers, authentication, problems) => {
      expect(customHeaderProblems(headers, authentication)).toEqual(problems);
    },
  );
});

describe('delivery policy', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [301, 'give_up'],
    [302, 'give_up'],
    [400, 'give_up'],
    [401, 'give_up'],
    [404, 'give_up'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
  ] as const)('a %i response means %s', (status, verdict) => {
    expect(verdictForStatus(status)).toBe(verdict);
  });

  it('backs off exponentially from 30 seconds, capped at 30 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 480, 960, 1800, 1800]);
  });

  it('gives up a retryable failure on the last allowed attempt only', () => {
    expect(finalVerdict('retry', MAX_DELIVERY_ATTEMPTS - 1)).toBe('retry');
    expect(finalVerdict('retry', MAX_DELIVERY_ATTEMPTS)).toBe('give_up');
    expect(finalVerdict('delivered', MAX_DELIVERY_ATTEMPTS)).toBe('delivered');
  });
});

describe('webhook ids and what the API shows', () => {
  it('makes ULIDs that sort by creation time', () => {
    const zeros = new Uint8Array(10);
    const ones = new Uint8Array(10).fill(255);
    expect(ulid(0, zeros)).toBe('00000000000000000000000000');
    expect(ulid(1, ones)).toBe('0000000001ZZZZZZZZZZZZZZZZ');
    expect(ulid(1_764_064_800_000, ones) < ulid(1_764_064_800_001, zeros)).toBe(true);
    expect(isUlid(ulid(Date.now(), crypto.getRandomValues(new Uint8Array(10))))).toBe(true);
    expect(isUlid('01JD00000000000000000000IL')).toBe(false);
  });

  it('never shows passwords, tokens or key values', () => {
    expect(
      visibleAuthentication({
        type: 'basic_auth',
        add_position: 'header',
        data: { username: 'zd', password: 'p' },
      }),
    ).toEqual({ type: 'basic_auth', add_position: 'header', data: { username: 'zd' } });
    expect(
      visibleAuthentication({ type: 'bearer_token', add_position: 'header', data: { token: 't' } }),
    ).toEqual({ type: 'bearer_token', add_position: 'header' });
    expect(
      visibleAuthentication({ type: 'api_key', add_position: 'header', data: { name: 'X-Key', value: 'v' } }),
    ).toEqual({ type: 'api_key', add_position: 'header', data: { name: 'X-Key' } });
  });
});
