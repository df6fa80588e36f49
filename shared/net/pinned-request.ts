/**
 * One outbound HTTP(S) request that can only connect to addresses already checked by the address
 * policy: the socket's DNS lookup is replaced by one that answers with those addresses, so a second
 * resolution (DNS rebinding) cannot swap in another. TLS still verifies the certificate against the
 * URL's host name. Redirects are never followed (node:http does not follow them); the caller sees 3xx.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './checked-addresses.ts';

export interface OutboundRequest {
  url: URL;
  method: string;
  headers: Readonly<Record<string, string>>;
  /** Omitted for requests that carry no body (GET, DELETE). */
  body?: string;
}

export interface OutboundResponse {
  statusCode: number;
}

/** The request never got an HTTP status: connection refused or reset, TLS failure, timeout. */
export class NetworkError extends Error {}

/** Answers every lookup with the checked addresses only, in both callback shapes Node uses. */
export const pinnedLookup =
  (addresses: readonly ResolvedAddress[]): LookupFunction =>
  (_hostname, options, callback) => {
    const first = addresses[0];
    if (!first) {
      callback(new Error('No checked address to connect to'), '', 4);
      return;
    }
    // Node ≥ 20 asks for every address (`all: true`) when it races IPv4 and IPv6 (autoSelectFamily).
    if (options.all) {
      (callback as unknown as (error: null, all: readonly ResolvedAddress[]) => void)(null, addresses);
      return;
    }
    callback(null, first.address, first.family);
  };

export const sendPinned = (
  outbound: OutboundRequest,
  addresses: readonly ResolvedAddress[],
  { timeoutMs }: { timeoutMs: number },
): Promise<OutboundResponse> =>
  new Promise((resolve, reject) => {
    const send = outbound.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const body = outbound.body === undefined ? undefined : Buffer.from(outbound.body, 'utf8');
    const request = send(
      outbound.url,
      {
        method: outbound.method,
        headers: {
          ...outbound.headers,
          ...(body ? { 'Content-Length': String(body.length) } : {}),
        },
        lookup: pinnedLookup(addresses),
        // A fresh connection per request: a pooled socket could have been opened to another address.
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response: IncomingMessage) => {
        // The status is all a delivery needs: drop the receiver's body unread rather than wait for it.
        resolve({ statusCode: response.statusCode ?? 0 });
        response.destroy();
      },
    );
    request.on('error', (error) => reject(new NetworkError(error.message)));
    request.end(body);
  });
