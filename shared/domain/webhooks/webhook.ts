/** A webhook (zendesk-api.md §5.5): where and how rule-triggered calls are sent. */
export const WEBHOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const REQUEST_FORMATS = ['json', 'xml', 'form_encoded'] as const;
export const WEBHOOK_STATUSES = ['active', 'inactive'] as const;
/** Rule actions (`notification_webhook`) call a webhook only when it subscribes to this. */
export const CONDITIONAL_TICKET_EVENTS = 'conditional_ticket_events';

export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];
export type RequestFormat = (typeof REQUEST_FORMATS)[number];
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

/** Credentials sent with every call, always in a header (Zendesk's only `add_position`). */
export type WebhookAuthentication =
  | { type: 'basic_auth'; add_position: 'header'; data: { username: string; password: string } }
  | { type: 'bearer_token'; add_position: 'header'; data: { token: string } }
  | { type: 'api_key'; add_position: 'header'; data: { name: string; value: string } };

export interface Webhook {
  /** A ULID: sorts by creation time. */
  id: string;
  name: string;
  description: string | null;
  status: WebhookStatus;
  endpoint: string;
  http_method: WebhookMethod;
  request_format: RequestFormat;
  subscriptions: string[];
  authentication: WebhookAuthentication | null;
  custom_headers: Record<string, string>;
  /** HMAC key for `x-zendesk-webhook-signature`; never part of the webhook as the API shows it. */
  signing_secret: string;
  created_at: string;
  created_by: number;
  updated_at: string;
  updated_by: number;
  version: number;
}

/** Authentication as the API shows it: the type and non-secret parts only (Zendesk hides the rest). */
export const visibleAuthentication = (
  authentication: WebhookAuthentication | null,
): Record<string, unknown> | null => {
  if (!authentication) return null;
  const { type, add_position } = authentication;
  switch (authentication.type) {
    case 'basic_auth':
      return { type, add_position, data: { username: authentication.data.username } };
    case 'api_key':
      return { type, add_position, data: { name: authentication.data.name } };
    case 'bearer_token':
      return { type, add_position };
  }
};
