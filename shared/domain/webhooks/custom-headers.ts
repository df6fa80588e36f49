/**
 * Custom headers an admin may add to every call (Zendesk allows five). Names that control the
 * transport or that the signature and authentication set are ours: letting a custom header replace
 * them would let it forge the signature or break the framing.
 */
import type { WebhookAuthentication } from './webhook.ts';

export const MAX_CUSTOM_HEADERS = 5;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
const RESERVED = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection']);

export const authenticationHeaderName = (authentication: WebhookAuthentication): string =>
  authentication.type === 'api_key' ? authentication.data.name : 'Authorization';

export const customHeaderProblems = (
  headers: Readonly<Record<string, string>>,
  authentication: WebhookAuthentication | null,
): string[] => {
  const names = Object.keys(headers);
  const problems: string[] = [];
  if (names.length > MAX_CUSTOM_HEADERS) problems.push(`at most ${MAX_CUSTOM_HEADERS} custom headers`);
  const authHeader = authentication && authenticationHeaderName(authentication).toLowerCase();
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) problems.push(`${name} is not a valid header name`);
    else if (RESERVED.has(lower) || lower.startsWith('x-zendesk-') || lower === authHeader)
      problems.push(`${name} is set by Relaydesk and cannot be a custom header`);
    if (/[\r\n\0]/.test(headers[name] ?? '')) problems.push(`${name} has a line break in its value`);
  }
  return problems;
};
