/**
 * Queue consumer: delivers rule-triggered webhook calls. Reports partial batch failures; a call to
 * retry is reported failed after its backoff delay is set on the message.
 */

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { nowMs } from '../../shared/domain/clock.ts';
import { DELIVERY_TIMEOUT_MS } from '../../shared/domain/webhooks/delivery-policy.ts';
import { eventBridgeEnvelope, webhookRequestedDetail } from '../../shared/events/ticket-events.ts';
import { systemResolver } from '../../shared/net/checked-addresses.ts';
import { sendPinned } from '../../shared/net/pinned-request.ts';
import { webhookNetworkPolicy } from '../../shared/net/webhook-network-policy.ts';
import { logger } from '../../shared/observability/logger.ts';
import { type DeliveryPorts, deliverWebhook } from '../../shared/use-cases/webhooks/deliver-webhook.ts';
import {
  type RetryBackoff,
  retryBackoffForEnvironment,
} from '../../shared/use-cases/webhooks/retry-backoff.ts';

/** Thrown to report a record failed so the queue delivers it again. */
class RetryLater extends Error {}

export const createDeliverWebhooksHandler = ({
  ports,
  backoff,
}: {
  ports: DeliveryPorts;
  backoff: RetryBackoff;
}) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const envelope = eventBridgeEnvelope.parse(JSON.parse(record.body));
    if (envelope['detail-type'] !== 'webhook.requested') {
      throw new Error(`Unexpected event type ${envelope['detail-type']}`);
    }
    const detail = webhookRequestedDetail.parse(envelope.detail);
    const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
    const result = await deliverWebhook(detail, attempt, ports);
    logger.info('Webhook delivery', {
      webhookId: detail.webhook_id,
      ticketId: detail.ticket_id,
      attempt,
      ...result,
    });
    if (result.outcome === 'retry') {
      await backoff(record, result.delaySeconds);
      throw new RetryLater(result.error);
    }
  };
  return async (event: SQSEvent, context: Context) =>
    // A batch of calls that all wait for a retry is an ordinary outcome, not a function error.
    processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
};

export const handler = createDeliverWebhooksHandler({
  ports: {
    policy: webhookNetworkPolicy(),
    resolve: systemResolver,
    send: (request, addresses) => sendPinned(request, addresses, { timeoutMs: DELIVERY_TIMEOUT_MS }),
    now: () => new Date(nowMs()),
    monotonicMs: () => performance.now(),
  },
  backoff: retryBackoffForEnvironment(),
});
