/**
 * The HTTP request for one webhook call: the rendered body in the webhook's format, its
 * authentication and custom headers, and Zendesk's signing headers. GET and DELETE carry no body;
 * a form-encoded body moves to their query string instead, as a form submission would.
 */
import { authenticationHeaderName } from './custom-headers.ts';
import { webhookSignature } from './signature.ts';
import type { RequestFormat, Webhook, WebhookAuthentication } from './webhook.ts';

export const USER_AGENT = 'Relaydesk Webhook';

const CONTENT_TYPES: Record<RequestFormat, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  form_encoded: 'application/x-www-form-urlencoded',
};

export interface WebhookCall {
  webhook: Pick<
    Webhook,
    | 'id'
    | 'endpoint'
    | 'http_method'
    | 'request_format'
    | 'authentication'
    | 'custom_headers'
    | 'signing_secret'
  >;
  /** The body the rule rendered (the audit's `External` event). */
  body: string;
  /** Stable for every attempt of one call, so receivers can drop duplicates. */
  invocationId: string;
  /** Zendesk's format: ISO 8601 UTC to the second. */
  timestamp: string;
}

export interface BuiltRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

const authenticationValue = (authentication: WebhookAuthentication): string => {
  switch (authentication.type) {
    case 'basic_auth': {
      const { username, password } = authentication.data;
      return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
    }
    case 'bearer_token':
      return `Bearer ${authentication.data.token}`;
    case 'api_key':
      return authentication.data.value;
  }
};

const carriesBody = (method: string) => method !== 'GET' && method !== 'DELETE';

export const buildWebhookRequest = ({
  webhook,
  body,
  invocationId,
  timestamp,
}: WebhookCall): BuiltRequest => {
  const url = new URL(webhook.endpoint);
  const withBody = carriesBody(webhook.http_method);
  if (!withBody && webhook.request_format === 'form_encoded' && body) {
    for (const [name, value] of new URLSearchParams(body)) url.searchParams.append(name, value);
  }
  const sentBody = withBody ? body : '';
  const { authentication } = webhook;
  return {
    url,
    method: webhook.http_method,
    headers: {
      ...webhook.custom_headers,
      'User-Agent': USER_AGENT,
      ...(withBody ? { 'Content-Type': CONTENT_TYPES[webhook.request_format] } : {}),
      ...(authentication
        ? { [authenticationHeaderName(authentication)]: authenticationValue(authentication) }
        : {}),
      'x-zendesk-webhook-id': webhook.id,
      'x-zendesk-webhook-invocation-id': invocationId,
      'x-zendesk-webhook-signature-timestamp': timestamp,
      'x-zendesk-webhook-signature': webhookSignature(webhook.signing_secret, timestamp, sentBody),
    },
    ...(withBody ? { body } : {}),
  };
};
