/**
 * Zendesk's webhook signature: base64(HMAC-SHA256(secret, timestamp + body)), sent with the timestamp
 * so receivers can verify the body and reject replays.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_ALGORITHM = 'SHA256';

export const webhookSignature = (secret: string, timestamp: string, body: string): string =>
  createHmac('sha256', secret)
    .update(timestamp + body, 'utf8')
    .digest('base64');
