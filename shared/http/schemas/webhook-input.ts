/**
 * Webhook request bodies. POST and PUT send the whole webhook; PATCH is a JSON merge patch (a null
 * removes `description`, `authentication` or one custom header). Authentication secrets may be left
 * out when the type is unchanged, because the API never shows them and a client PUTs back what it read.
 */
import * as z from 'zod';
import {
  CONDITIONAL_TICKET_EVENTS,
  REQUEST_FORMATS,
  WEBHOOK_METHODS,
  WEBHOOK_STATUSES,
} from '../../domain/webhooks/webhook.ts';

const secret = z.string().min(1).max(1000);
const addPosition = z.literal('header').default('header');

const authenticationInput = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('basic_auth'),
    add_position: addPosition,
    data: z.object({ username: z.string().min(1).max(255), password: secret.optional() }),
  }),
  z.object({
    type: z.literal('bearer_token'),
    add_position: addPosition,
    data: z.object({ token: secret.optional() }).optional(),
  }),
  z.object({
    type: z.literal('api_key'),
    add_position: addPosition,
    data: z.object({ name: z.string().min(1).max(128), value: secret.optional() }),
  }),
]);

export type AuthenticationInput = z.infer<typeof authenticationInput>;

const subscriptions = z
  .array(z.string())
  .min(1)
  .refine((values) => values.every((value) => value === CONDITIONAL_TICKET_EVENTS), {
    message: `only ${CONDITIONAL_TICKET_EVENTS} is supported`,
  });

const webhookFields = {
  name: z.string().trim().min(1).max(255),
  description: z.string().max(1000).nullish(),
  status: z.enum(WEBHOOK_STATUSES),
  endpoint: z.string().min(1).max(2048),
  http_method: z.enum(WEBHOOK_METHODS),
  request_format: z.enum(REQUEST_FORMATS),
  subscriptions,
  authentication: authenticationInput.nullish(),
};

const webhookInput = z.object({
  ...webhookFields,
  custom_headers: z.record(z.string(), z.string().max(1000)).optional(),
});

const webhookPatch = z.object({
  ...z.object(webhookFields).partial().shape,
  custom_headers: z.record(z.string(), z.string().max(1000).nullable()).nullish(),
});

export type WebhookInput = z.infer<typeof webhookInput>;
export type WebhookPatch = z.infer<typeof webhookPatch>;

export const webhookBody = z.object({ webhook: webhookInput });
export const webhookPatchBody = z.object({ webhook: webhookPatch });

/**
 * `POST /webhooks/test`: the request to try, as Zendesk's admin form sends it. `headers` are custom
 * headers as a list; `authentication` follows the webhook's rules (with `?webhook_id=`, secrets left
 * out are the stored webhook's).
 */
const webhookTestRequest = z.object({
  endpoint: webhookFields.endpoint,
  http_method: webhookFields.http_method,
  request_format: webhookFields.request_format,
  headers: z.array(z.object({ key: z.string().min(1).max(128), value: z.string().max(1000) })).optional(),
  payload: z
    .string()
    .max(256 * 1024)
    .optional(),
  authentication: webhookFields.authentication,
});

export type WebhookTestRequest = z.infer<typeof webhookTestRequest>;

export const webhookTestBody = z.object({ request: webhookTestRequest });
