/**
 * Webhook definitions. Every save checks the endpoint against the address policy of the place we run
 * (https only in AWS; loopback http too in the local runtime), the custom headers, and that secrets
 * exist for the authentication type, so a stored webhook is always callable as far as we can tell
 * before resolving its host. New webhooks get a ULID and a fresh signing secret.
 */
import { randomBytes } from 'node:crypto';
import { toTimestamp } from '../../domain/clock.ts';
import { NotFoundError, UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import { customHeaderProblems } from '../../domain/webhooks/custom-headers.ts';
import { endpointProblem } from '../../domain/webhooks/endpoint-rules.ts';
import type { Webhook, WebhookAuthentication } from '../../domain/webhooks/webhook.ts';
import { ULID_RANDOM_BYTES, ulid } from '../../domain/webhooks/webhook-id.ts';
import type { AuthenticationInput, WebhookInput, WebhookPatch } from '../../http/schemas/webhook-input.ts';
import type { AddressPolicyOptions } from '../../net/address-policy.ts';
import { getWebhook, putWebhook, deleteWebhook as removeWebhook } from '../../store/webhooks.ts';

export interface SaveContext {
  userId: number;
  now: Date;
  policy: AddressPolicyOptions;
}

const newSigningSecret = () => randomBytes(32).toString('base64url');

const missingSecret = (what: string) =>
  ValidationError.field('authentication', `Authentication: ${what} is required`, 'BlankValue');

/**
 * The stored authentication for an input. A secret left out is kept from the stored authentication
 * of the same type (clients PUT back the webhook they read, which shows no secrets).
 */
export const resolveAuthentication = (
  input: AuthenticationInput | null | undefined,
  stored: WebhookAuthentication | null,
): WebhookAuthentication | null => {
  if (!input) return null;
  const kept = stored?.type === input.type ? stored : undefined;
  switch (input.type) {
    case 'basic_auth': {
      const password = input.data.password ?? (kept?.type === 'basic_auth' ? kept.data.password : undefined);
      if (!password) throw missingSecret('data.password');
      return {
        type: 'basic_auth',
        add_position: 'header',
        data: { username: input.data.username, password },
      };
    }
    case 'bearer_token': {
      const token = input.data?.token ?? (kept?.type === 'bearer_token' ? kept.data.token : undefined);
      if (!token) throw missingSecret('data.token');
      return { type: 'bearer_token', add_position: 'header', data: { token } };
    }
    case 'api_key': {
      const value = input.data.value ?? (kept?.type === 'api_key' ? kept.data.value : undefined);
      if (!value) throw missingSecret('data.value');
      return { type: 'api_key', add_position: 'header', data: { name: input.data.name, value } };
    }
  }
};

/**
 * Refuses (422) a definition that may not be called: its endpoint under the address policy, or its
 * custom headers, reported under `headersField` (the name the request used for them).
 */
export const assertCallable = (
  definition: Pick<Webhook, 'endpoint' | 'custom_headers' | 'authentication'>,
  policy: AddressPolicyOptions,
  headersField = 'custom_headers',
): void => {
  const problem = endpointProblem(definition.endpoint, policy);
  if (problem) throw ValidationError.field('endpoint', `Endpoint ${problem}`, 'InvalidValue');
  const headerProblems = customHeaderProblems(definition.custom_headers, definition.authentication);
  if (headerProblems.length) {
    throw new ValidationError({
      [headersField]: headerProblems.map((description) => ({
        description: `Custom headers: ${description}`,
        error: 'InvalidValue',
      })),
    });
  }
};

const checked = (webhook: Webhook, policy: AddressPolicyOptions): Webhook => {
  assertCallable(webhook, policy);
  return webhook;
};

export const getLiveWebhook = async (id: string): Promise<Webhook> => {
  const webhook = await getWebhook(id);
  if (!webhook) throw new NotFoundError();
  return webhook;
};

export const createWebhook = async (input: WebhookInput, context: SaveContext): Promise<Webhook> => {
  const at = toTimestamp(context.now);
  const webhook: Webhook = {
    id: ulid(context.now.getTime(), randomBytes(ULID_RANDOM_BYTES)),
    name: input.name,
    description: input.description ?? null,
    status: input.status,
    endpoint: input.endpoint,
    http_method: input.http_method,
    request_format: input.request_format,
    subscriptions: input.subscriptions,
    authentication: resolveAuthentication(input.authentication, null),
    custom_headers: input.custom_headers ?? {},
    signing_secret: newSigningSecret(),
    created_at: at,
    created_by: context.userId,
    updated_at: at,
    updated_by: context.userId,
    version: 1,
  };
  return putWebhook(checked(webhook, context.policy));
};

/** Reads, changes and conditionally writes a webhook, retrying a lost race a couple of times. */
const changeWebhook = async (
  id: string,
  context: SaveContext,
  change: (webhook: Webhook) => Webhook,
): Promise<Webhook> => {
  for (let attempt = 1; ; attempt++) {
    const webhook = await getLiveWebhook(id);
    const next = checked(
      { ...change(webhook), updated_at: toTimestamp(context.now), updated_by: context.userId },
      context.policy,
    );
    try {
      return await putWebhook(next, webhook);
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === 3) throw error;
    }
  }
};

/** PUT: the input replaces every field it describes; absent optional fields are cleared. */
export const replaceWebhook = (id: string, input: WebhookInput, context: SaveContext): Promise<Webhook> =>
  changeWebhook(id, context, (webhook) => ({
    ...webhook,
    name: input.name,
    description: input.description ?? null,
    status: input.status,
    endpoint: input.endpoint,
    http_method: input.http_method,
    request_format: input.request_format,
    subscriptions: input.subscriptions,
    authentication: resolveAuthentication(input.authentication, webhook.authentication),
    custom_headers: input.custom_headers ?? {},
  }));

const mergeHeaders = (
  stored: Record<string, string>,
  patch: Record<string, string | null> | null | undefined,
): Record<string, string> => {
  if (patch === null) return {};
  if (patch === undefined) return stored;
  const merged = { ...stored };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return merged;
};

/** PATCH (JSON merge patch): only the fields present change; null removes. */
export const patchWebhook = (id: string, patch: WebhookPatch, context: SaveContext): Promise<Webhook> =>
  changeWebhook(id, context, (webhook) => ({
    ...webhook,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
    ...(patch.endpoint !== undefined ? { endpoint: patch.endpoint } : {}),
    ...(patch.http_method !== undefined ? { http_method: patch.http_method } : {}),
    ...(patch.request_format !== undefined ? { request_format: patch.request_format } : {}),
    ...(patch.subscriptions !== undefined ? { subscriptions: patch.subscriptions } : {}),
    ...(patch.authentication !== undefined
      ? { authentication: resolveAuthentication(patch.authentication, webhook.authentication) }
      : {}),
    custom_headers: mergeHeaders(webhook.custom_headers, patch.custom_headers),
  }));

export const deleteWebhook = async (id: string): Promise<void> => {
  await getLiveWebhook(id);
  await removeWebhook(id);
};

export const resetSigningSecret = (id: string, context: SaveContext): Promise<Webhook> =>
  changeWebhook(id, context, (webhook) => ({ ...webhook, signing_secret: newSigningSecret() }));
