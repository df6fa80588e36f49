/**
 * One outbound HTTP(S) request that can only connect to addresses already checked by the address
 * policy: the socket's DNS lookup is replaced by one that answers with those addresses, so a second
 * resolution (DNS rebinding) cannot swap in another. TLS still verifies the certificate against the
 * URL's host name. Redirects are never followed (node:http does not follow them); the caller sees 3xx.
 * The receiver's body is read only when asked for, and only up to a limit: a delivery needs the status
 * alone, the test endpoint shows the start of the body.
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
  /** In the order received; a repeated header appears once per line. */
  headers: { key: string; value: string }[];
  /** The first `responseBodyBytes` bytes of the body, as UTF-8; only when they were asked for. */
  body?: string;
}

export interface SendOptions {
  timeoutMs: number;
  /** Read at most this many bytes of the response body; leave out to drop the body unread. */
  responseBodyBytes?: number;
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

const headerList = (rawHeaders: readonly string[]): OutboundResponse['headers'] => {
  const headers: OutboundResponse['headers'] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    headers.push({ key: rawHeaders[index] as string, value: rawHeaders[index + 1] as string });
  }
  return headers;
};

/**
 * The body up to `limit` bytes. Reading stops there (the socket is closed), and a body cut short by
 * the timeout or the receiver still yields what arrived: it is shown, not parsed.
 */
const readBodyStart = (response: IncomingMessage, limit: number): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        finish();
        response.destroy();
      }
    });
    response.on('end', finish);
    response.on('error', finish);
    response.on('close', finish);
  });

export const sendPinned = (
  outbound: OutboundRequest,
  addresses: readonly ResolvedAddress[],
  { timeoutMs, responseBodyBytes }: SendOptions,
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
        const answered = { statusCode: response.statusCode ?? 0, headers: headerList(response.rawHeaders) };
        if (responseBodyBytes === undefined) {
          // The status is all a delivery needs: drop the receiver's body unread rather than wait for it.
          resolve(answered);
          response.destroy();
          return;
        }
        readBodyStart(response, responseBodyBytes).then((body) => resolve({ ...answered, body }));
      },
    );
    request.on('error', (error) => reject(new NetworkError(error.message)));
    request.end(body);
  });
