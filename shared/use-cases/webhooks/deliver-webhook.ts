/**
 * Delivers one rule-triggered webhook call (a `webhook.requested` event). Primary course:
 * 1. Load the webhook; a deleted or inactive one drops the call.
 * 2. Skip a call already delivered (its claim exists): a redelivered event sends nothing again.
 * 3. Read the rendered body from the audit's `External` event.
 * 4. Send the signed request (send-webhook-request.ts: endpoint and address checks, pinned lookup).
 * 5. Record the attempt on the call's invocation; a 2xx also claims the call, in the same transaction.
 * A 429, 5xx or network failure asks to be retried after a backoff; redirects, other 4xx, refused
 * addresses and the last allowed attempt end the call as failed.
 */
import { toTimestamp } from '../../domain/clock.ts';
import {
  type AttemptVerdict,
  finalVerdict,
  retryDelaySeconds,
  verdictForStatus,
} from '../../domain/webhooks/delivery-policy.ts';
import { type InvocationStatus, invocationIdOf } from '../../domain/webhooks/invocation.ts';
import type { WebhookRequestedDetail } from '../../events/ticket-events.ts';
import { getAudit } from '../../store/tickets/tickets.ts';
import { getWebhook, isDelivered, recordDelivery, recordFailedAttempt } from '../../store/webhooks.ts';
import { type SendOutcome, type SendPorts, sendWebhookRequest } from './send-webhook-request.ts';

export interface DeliveryPorts extends SendPorts {
  now: () => Date;
}

export type DeliveryOutcome =
  | { outcome: 'dropped'; reason: 'webhook_missing' | 'webhook_inactive' }
  | { outcome: 'already_delivered' }
  | { outcome: 'delivered'; statusCode: number }
  | { outcome: 'failed'; error: string }
  | { outcome: 'retry'; delaySeconds: number; error: string };

interface AttemptResult {
  verdict: AttemptVerdict;
  statusCode: number | null;
  error: string | null;
  latencyMs: number | null;
}

/** The audit committed before its event was published (outbox), so a missing body is a data fault. */
const renderedBody = async (detail: WebhookRequestedDetail): Promise<string> => {
  const audit = await getAudit(detail.ticket_id, detail.audit_id);
  const event = audit?.events.find(
    (candidate) =>
      candidate.id === detail.event_id &&
      candidate.type === 'External' &&
      candidate.resource === detail.webhook_id,
  );
  if (event?.type !== 'External') {
    throw new Error(
      `Audit ${detail.audit_id} of ticket ${detail.ticket_id} has no External event ${detail.event_id} for webhook ${detail.webhook_id}`,
    );
  }
  return event.body;
};

const statusError = (statusCode: number): string | null => {
  if (statusCode >= 200 && statusCode < 300) return null;
  if (statusCode >= 300 && statusCode < 400) return `Redirect (${statusCode}) not followed`;
  return `Endpoint answered ${statusCode}`;
};

/** Refused addresses end the call; resolver and network failures may pass, so they are retried. */
const attemptResult = (sent: SendOutcome): AttemptResult => {
  switch (sent.kind) {
    case 'refused':
      return { verdict: 'give_up', statusCode: null, error: sent.error, latencyMs: null };
    case 'unresolved':
      return { verdict: 'retry', statusCode: null, error: sent.error, latencyMs: null };
    case 'no_answer':
      return { verdict: 'retry', statusCode: null, error: sent.error, latencyMs: sent.latencyMs };
    case 'answered': {
      const { statusCode } = sent.response;
      return {
        verdict: verdictForStatus(statusCode),
        statusCode,
        error: statusError(statusCode),
        latencyMs: sent.latencyMs,
      };
    }
  }
};

const STATUS_OF: Record<AttemptVerdict, InvocationStatus> = {
  delivered: 'success',
  retry: 'retrying',
  give_up: 'failed',
};

/** `attemptNumber` counts deliveries of this event (SQS's ApproximateReceiveCount), from 1. */
export const deliverWebhook = async (
  detail: WebhookRequestedDetail,
  attemptNumber: number,
  ports: DeliveryPorts,
): Promise<DeliveryOutcome> => {
  const webhook = await getWebhook(detail.webhook_id);
  if (!webhook) return { outcome: 'dropped', reason: 'webhook_missing' };
  if (webhook.status !== 'active') return { outcome: 'dropped', reason: 'webhook_inactive' };
  const invocationId = invocationIdOf(detail);
  if (await isDelivered(webhook.id, invocationId)) return { outcome: 'already_delivered' };

  const body = await renderedBody(detail);
  const now = ports.now();
  const result = attemptResult(
    await sendWebhookRequest({ webhook, body, invocationId, timestamp: toTimestamp(now) }, ports),
  );
  const verdict = finalVerdict(result.verdict, attemptNumber);
  const record = {
    invocation: {
      id: invocationId,
      webhook_id: webhook.id,
      ticket_id: detail.ticket_id,
      status: STATUS_OF[verdict],
      status_code: result.statusCode,
      error: result.error,
      latency_ms: result.latencyMs,
      created_at: detail.created_at,
    },
    attempt: {
      number: attemptNumber,
      status: verdict === 'delivered' ? ('success' as const) : ('failed' as const),
      status_code: result.statusCode,
      error: result.error,
      latency_ms: result.latencyMs,
      attempted_at: toTimestamp(now),
      completed_at: toTimestamp(ports.now()),
    },
    now,
  };
  if (verdict === 'delivered') {
    const claimed = await recordDelivery(record);
    return claimed
      ? { outcome: 'delivered', statusCode: result.statusCode ?? 0 }
      : { outcome: 'already_delivered' };
  }
  await recordFailedAttempt(record);
  const error = result.error ?? 'Delivery failed';
  return verdict === 'retry'
    ? { outcome: 'retry', delaySeconds: retryDelaySeconds(attemptNumber), error }
    : { outcome: 'failed', error };
};
