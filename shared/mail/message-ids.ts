/**
 * Message-IDs we generate carry a MAC over the ticket id, so an inbound In-Reply-To/References naming
 * one can be trusted to mean that ticket, on every path, without a lookup. Others (ids we received, or
 * the ids SES assigns to mail it sends) are found through the message-id index in the tickets table.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const mac = (secret: string, payload: string): string =>
  createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);

/** `<rd.{ticketId}.{random}.{mac}@{domain}>`; the MAC is 128 bits of HMAC-SHA256. */
export const createMessageId = (input: {
  ticketId: number;
  secret: string;
  domain: string;
  random?: string;
}): string => {
  const random = input.random ?? randomBytes(12).toString('base64url');
  const payload = `${input.ticketId}.${random}`;
  return `<rd.${payload}.${mac(input.secret, payload)}@${input.domain}>`;
};

/** The ticket a Message-ID we generated names, if its MAC verifies; undefined for any other id. */
export const ticketIdFromOwnMessageId = (messageId: string, secret: string): number | undefined => {
  const match = /^<?rd\.(\d{1,15})\.([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{22})@[^>\s]+>?$/.exec(
    messageId.trim(),
  );
  if (!match) return undefined;
  const [, ticketId = '', random = '', given = ''] = match;
  const expected = mac(secret, `${ticketId}.${random}`);
  const ok = given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  return ok ? Number(ticketId) : undefined;
};

/** Every `<id>` in an In-Reply-To or References header, in order, normalised (trimmed, angle brackets kept). */
export const messageIdsIn = (header: string | readonly string[] | undefined): string[] => {
  const text = Array.isArray(header) ? header.join(' ') : (header ?? '');
  return [...new Set([...String(text).matchAll(/<[^<>\s]{1,500}>/g)].map((match) => match[0]))];
};
