/**
 * Sends one webhook request: the one path both a delivery attempt and the test endpoint take.
 * 1. Check the endpoint against the address policy (a webhook saved under another policy must not slip
 *    through), then build the signed request.
 * 2. Resolve the host and check every address it resolves to.
 * 3. Send to those addresses only (pinned lookup, no redirects, the caller's timeout).
 * What the outcome means (retry, give up, show it) is the caller's business.
 */
import { endpointProblem } from '../../domain/webhooks/endpoint-rules.ts';
import {
  type BuiltRequest,
  buildWebhookRequest,
  type WebhookCall,
} from '../../domain/webhooks/webhook-request.ts';
import type { AddressPolicyOptions } from '../../net/address-policy.ts';
import {
  AddressRefusedError,
  checkedAddresses,
  type ResolvedAddress,
  type ResolveHost,
} from '../../net/checked-addresses.ts';
import type { OutboundResponse } from '../../net/pinned-request.ts';

export interface SendPorts {
  policy: AddressPolicyOptions;
  resolve: ResolveHost;
  send: (request: BuiltRequest, addresses: readonly ResolvedAddress[]) => Promise<OutboundResponse>;
  /** Milliseconds on a monotonic clock, for the latency the invocations API shows. */
  monotonicMs: () => number;
}

export type SendOutcome =
  /** The endpoint or one of its addresses is one a webhook must not reach; nothing was sent. */
  | { kind: 'refused'; error: string }
  /** The resolver failed (possibly passing); nothing was sent. */
  | { kind: 'unresolved'; error: string }
  /** Sent, but no HTTP answer: connection refused or reset, TLS failure, timeout. */
  | { kind: 'no_answer'; error: string; latencyMs: number }
  | { kind: 'answered'; response: OutboundResponse; latencyMs: number };

/** Errors from the system resolver (ENOTFOUND, EAI_AGAIN) that say nothing about the address. */
const isResolverError = (error: unknown): boolean =>
  error instanceof Error &&
  /^(ENOTFOUND|EAI_AGAIN|ENODATA|ESERVFAIL|ETIMEOUT)$/.test(String((error as { code?: unknown }).code));

export const sendWebhookRequest = async (call: WebhookCall, ports: SendPorts): Promise<SendOutcome> => {
  const problem = endpointProblem(call.webhook.endpoint, ports.policy);
  if (problem) return { kind: 'refused', error: `Endpoint ${problem}` };
  const request = buildWebhookRequest(call);
  let addresses: ResolvedAddress[];
  try {
    addresses = await checkedAddresses(request.url.hostname, ports.policy, ports.resolve);
  } catch (error) {
    if (error instanceof AddressRefusedError) return { kind: 'refused', error: error.message };
    if (isResolverError(error))
      return { kind: 'unresolved', error: `Could not resolve ${request.url.hostname}` };
    throw error;
  }
  const started = ports.monotonicMs();
  const latency = () => Math.round(ports.monotonicMs() - started);
  try {
    const response = await ports.send(request, addresses);
    return { kind: 'answered', response, latencyMs: latency() };
  } catch (error) {
    return { kind: 'no_answer', error: `Request failed: ${(error as Error).message}`, latencyMs: latency() };
  }
};
