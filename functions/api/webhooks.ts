/** The `webhooks` route group: Zendesk's Webhooks API (zendesk-api.md §5.5), admins only. */
import { nowMs } from '../../shared/domain/clock.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { isUlid } from '../../shared/domain/webhooks/webhook-id.ts';
import { type ApiRequest, created, noContent, ok } from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { webhookBody, webhookPatchBody } from '../../shared/http/schemas/webhook-input.ts';
import {
  serializeInvocation,
  serializeSigningSecret,
  serializeWebhook,
} from '../../shared/http/serializers/webhook.ts';
import { webhookNetworkPolicy } from '../../shared/net/webhook-network-policy.ts';
import { listInvocations, listWebhooks } from '../../shared/store/webhooks.ts';
import {
  createWebhook,
  deleteWebhook,
  getLiveWebhook,
  patchWebhook,
  replaceWebhook,
  resetSigningSecret,
} from '../../shared/use-cases/webhooks/manage-webhooks.ts';

/** Zendesk's webhook paths take no `.json`, so neither do our paging links. */
const NO_SUFFIX = { pathSuffix: '' } as const;

/** Webhook ids are ULIDs; anything else names no webhook. */
const webhookId = (request: ApiRequest): string => {
  const id = (request.pathParameters.id ?? '').toUpperCase();
  if (!isUlid(id)) throw new NotFoundError();
  return id;
};

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
});
