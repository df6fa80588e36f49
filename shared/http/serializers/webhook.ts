/** Webhooks and their invocations on the wire (zendesk-api.md §5.5). Secrets never leave the store. */
import type { Invocation, InvocationAttempt } from '../../domain/webhooks/invocation.ts';
import { SIGNATURE_ALGORITHM } from '../../domain/webhooks/signature.ts';
import { visibleAuthentication, type Webhook } from '../../domain/webhooks/webhook.ts';
import type { TestResponse } from '../../use-cases/webhooks/test-webhook.ts';

export const serializeWebhook = (webhook: Webhook): Record<string, unknown> => ({
  id: webhook.id,
  name: webhook.name,
  description: webhook.description,
  status: webhook.status,
  endpoint: webhook.endpoint,
  http_method: webhook.http_method,
  request_format: webhook.request_format,
  subscriptions: webhook.subscriptions,
  authentication: visibleAuthentication(webhook.authentication),
  custom_headers: webhook.custom_headers,
  created_at: webhook.created_at,
  created_by: String(webhook.created_by),
  updated_at: webhook.updated_at,
  updated_by: String(webhook.updated_by),
});

export const serializeSigningSecret = (webhook: Webhook): Record<string, unknown> => ({
  signing_secret: { algorithm: SIGNATURE_ALGORITHM, secret: webhook.signing_secret },
});

export const serializeInvocation = (invocation: Invocation): Record<string, unknown> => ({
  id: invocation.id,
  webhook_id: invocation.webhook_id,
  ticket_id: invocation.ticket_id,
  status: invocation.status,
  status_code: invocation.status_code,
  attempts: invocation.attempts,
  latency_ms: invocation.latency_ms,
  error: invocation.error,
  created_at: invocation.created_at,
  latest_completed_at: invocation.updated_at,
});

/** Attempt ids are the invocation id and the attempt's number: unique, and stable across reads. */
export const serializeAttempt = (
  invocation: Invocation,
  attempt: InvocationAttempt,
): Record<string, unknown> => ({
  id: `${invocation.id}-${attempt.number}`,
  invocation_id: invocation.id,
  attempt: attempt.number,
  status: attempt.status,
  status_code: attempt.status_code,
  error: attempt.error,
  latency_ms: attempt.latency_ms,
  attempted_at: attempt.attempted_at,
  completed_at: attempt.completed_at,
});

export const serializeAttempts = (invocation: Invocation): Record<string, unknown> => ({
  attempts: invocation.attempt_log.map((attempt) => serializeAttempt(invocation, attempt)),
});

export const serializeTestResponse = (response: TestResponse): Record<string, unknown> => ({ response });
