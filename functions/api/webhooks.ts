/** The `webhooks` route group: Zendesk's Webhooks API (zendesk-api.md §5.5), admins only. */
import { nowMs } from '../../shared/domain/clock.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { DELIVERY_TIMEOUT_MS } from '../../shared/domain/webhooks/delivery-policy.ts';
import { isInvocationId } from '../../shared/domain/webhooks/invocation.ts';
import { isUlid } from '../../shared/domain/webhooks/webhook-id.ts';
import { type ApiRequest, created, noContent, ok } from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { webhookBody, webhookPatchBody, webhookTestBody } from '../../shared/http/schemas/webhook-input.ts';
import {
  serializeAttempts,
  serializeInvocation,
  serializeSigningSecret,
  serializeTestResponse,
  serializeWebhook,
} from '../../shared/http/serializers/webhook.ts';
import { systemResolver } from '../../shared/net/checked-addresses.ts';
import { sendPinned } from '../../shared/net/pinned-request.ts';
import { webhookNetworkPolicy } from '../../shared/net/webhook-network-policy.ts';
import { getInvocation, listInvocations, listWebhooks } from '../../shared/store/webhooks.ts';
import {
  createWebhook,
  deleteWebhook,
  getLiveWebhook,
  patchWebhook,
  replaceWebhook,
  resetSigningSecret,
} from '../../shared/use-cases/webhooks/manage-webhooks.ts';
import {
  TEST_RESPONSE_BODY_BYTES,
  type TestPorts,
  testWebhook,
} from '../../shared/use-cases/webhooks/test-webhook.ts';

/** Zendesk's webhook paths take no `.json`, so neither do our paging links. */
const NO_SUFFIX = { pathSuffix: '' } as const;

/** Webhook ids are ULIDs; anything else names no webhook. */
const webhookId = (request: ApiRequest): string => {
  const id = (request.pathParameters.id ?? '').toUpperCase();
  if (!isUlid(id)) throw new NotFoundError();
  return id;
};

/** `?webhook_id=` of a test: absent tests an unsaved webhook; anything but a ULID names none. */
const testedWebhookId = (request: ApiRequest): string | undefined => {
  const raw = request.query.get('webhook_id');
  if (raw === null || raw === '') return undefined;
  const id = raw.toUpperCase();
  if (!isUlid(id)) throw new NotFoundError();
  return id;
};

/** The invocation id from the path; any other shape names no invocation. */
const invocationId = (request: ApiRequest): string => {
  const id = request.pathParameters.invocation_id ?? '';
  if (!isInvocationId(id)) throw new NotFoundError();
  return id;
};

/** A test sends like a delivery (same timeout), and keeps the start of the receiver's body to show it. */
const testPorts = (): TestPorts => ({
  policy: webhookNetworkPolicy(),
  resolve: systemResolver,
  send: (outbound, addresses) =>
    sendPinned(outbound, addresses, {
      timeoutMs: DELIVERY_TIMEOUT_MS,
      responseBodyBytes: TEST_RESPONSE_BODY_BYTES,
    }),
  now: () => new Date(nowMs()),
  monotonicMs: () => performance.now(),
});

const saveContext = (request: ApiRequest) => ({
  userId: request.caller?.userId ?? 0,
  now: new Date(nowMs()),
  policy: webhookNetworkPolicy(),
});

export const handler = createRouteGroupHandler('webhooks', {
  'GET /api/v2/webhooks': async (request) =>
    ok(
      pageEnvelope(
        request,
        'webhooks',
        await listWebhooks(pageRequestOf(request)),
        serializeWebhook,
        {},
        NO_SUFFIX,
      ),
    ),
  'POST /api/v2/webhooks': async (request) => {
    const webhook = await createWebhook(parseBody(request, webhookBody).webhook, saveContext(request));
    return created(
      { webhook: serializeWebhook(webhook) },
      `${request.publicUrl}/api/v2/webhooks/${webhook.id}`,
    );
  },
  'POST /api/v2/webhooks/test': async (request) =>
    ok(
      serializeTestResponse(
        await testWebhook(parseBody(request, webhookTestBody).request, testedWebhookId(request), testPorts()),
      ),
    ),
  'GET /api/v2/webhooks/{id}': async (request) =>
    ok({ webhook: serializeWebhook(await getLiveWebhook(webhookId(request))) }),
  'PUT /api/v2/webhooks/{id}': async (request) => {
    await replaceWebhook(webhookId(request), parseBody(request, webhookBody).webhook, saveContext(request));
    return noContent();
  },
  'PATCH /api/v2/webhooks/{id}': async (request) => {
    await patchWebhook(
      webhookId(request),
      parseBody(request, webhookPatchBody).webhook,
      saveContext(request),
    );
    return noContent();
  },
  'DELETE /api/v2/webhooks/{id}': async (request) => {
    await deleteWebhook(webhookId(request));
    return noContent();
  },
  'GET /api/v2/webhooks/{id}/signing_secret': async (request) =>
    ok(serializeSigningSecret(await getLiveWebhook(webhookId(request)))),
  'POST /api/v2/webhooks/{id}/signing_secret': async (request) =>
    created(serializeSigningSecret(await resetSigningSecret(webhookId(request), saveContext(request)))),
  'GET /api/v2/webhooks/{id}/invocations': async (request) => {
    const id = webhookId(request);
    await getLiveWebhook(id);
    return ok(
      pageEnvelope(
        request,
        'invocations',
        await listInvocations(id, pageRequestOf(request)),
        serializeInvocation,
        {},
        NO_SUFFIX,
      ),
    );
  },
  'GET /api/v2/webhooks/{id}/invocations/{invocation_id}/attempts': async (request) => {
    const id = webhookId(request);
    await getLiveWebhook(id);
    const invocation = await getInvocation(id, invocationId(request));
    if (!invocation) throw new NotFoundError();
    return ok(serializeAttempts(invocation));
  },
});
