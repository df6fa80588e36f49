/**
 * `POST /webhooks/test`: sends one request as a delivery would (same building, signing and address
 * checks: send-webhook-request.ts) and reports the receiver's answer. Nothing is stored and nothing
 * is retried. With a stored webhook, its id, signing secret and (unless the request brings its own)
 * authentication and custom headers are used; otherwise the request is signed with Zendesk's
 * published test secret, so receivers can verify test calls the way Zendesk documents.
 */
import { randomBytes } from 'node:crypto';
import { toTimestamp } from '../../domain/clock.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { Webhook } from '../../domain/webhooks/webhook.ts';
import { ULID_RANDOM_BYTES, ulid } from '../../domain/webhooks/webhook-id.ts';
import type { WebhookCall } from '../../domain/webhooks/webhook-request.ts';
import type { WebhookTestRequest } from '../../http/schemas/webhook-input.ts';
import { assertCallable, getLiveWebhook, resolveAuthentication } from './manage-webhooks.ts';
import { type SendPorts, sendWebhookRequest } from './send-webhook-request.ts';

/** Zendesk signs tests of webhooks not yet created with this secret (base64 of "this_secret_is_for_testing_only"). */
export const TEST_SIGNING_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
/** `x-zendesk-webhook-id` of a test of a webhook not yet created. */
export const UNSAVED_WEBHOOK_ID = 'test';
/** How much of the receiver's body the answer shows. */
export const TEST_RESPONSE_BODY_BYTES = 4096;

export interface TestPorts extends SendPorts {
  now: () => Date;
}

/** Zendesk's test answer. `status` 0 means no HTTP answer came back; `error` then says why. */
export interface TestResponse {
  status: number;
  headers: { key: string; value: string }[];
  body: string;
  error?: string;
}

/** The list form Zendesk's test request uses, as the record a webhook stores; one value per name. */
const headerRecord = (headers: NonNullable<WebhookTestRequest['headers']>): Record<string, string> => {
  const record: Record<string, string> = {};
  const seen = new Set<string>();
  for (const { key, value } of headers) {
    if (seen.has(key.toLowerCase())) {
      throw ValidationError.field('headers', `Custom headers: ${key} is given twice`, 'InvalidValue');
    }
    seen.add(key.toLowerCase());
    record[key] = value;
  }
  return record;
};

const callOf = (request: WebhookTestRequest, stored: Webhook | undefined, now: Date): WebhookCall => {
  const authentication =
    request.authentication === undefined
      ? (stored?.authentication ?? null)
      : resolveAuthentication(request.authentication, stored?.authentication ?? null);
  const webhook = {
    id: stored?.id ?? UNSAVED_WEBHOOK_ID,
    endpoint: request.endpoint,
    http_method: request.http_method,
    request_format: request.request_format,
    authentication,
    custom_headers: request.headers ? headerRecord(request.headers) : (stored?.custom_headers ?? {}),
    signing_secret: stored?.signing_secret ?? TEST_SIGNING_SECRET,
  };
  return {
    webhook,
    body: request.payload ?? '',
    // A fresh id per test: receivers that drop repeated invocation ids must not drop the next test.
    invocationId: ulid(now.getTime(), randomBytes(ULID_RANDOM_BYTES)),
    timestamp: toTimestamp(now),
  };
};

export const testWebhook = async (
  request: WebhookTestRequest,
  webhookId: string | undefined,
  ports: TestPorts,
): Promise<TestResponse> => {
  const stored = webhookId === undefined ? undefined : await getLiveWebhook(webhookId);
  const call = callOf(request, stored, ports.now());
  assertCallable(call.webhook, ports.policy, 'headers');
  const sent = await sendWebhookRequest(call, ports);
  switch (sent.kind) {
    case 'refused':
      throw ValidationError.field('endpoint', sent.error, 'InvalidValue');
    case 'unresolved':
    case 'no_answer':
      return { status: 0, headers: [], body: '', error: sent.error };
    case 'answered':
      return {
        status: sent.response.statusCode,
        headers: sent.response.headers,
        body: sent.response.body ?? '',
      };
  }
};
