/**
 * The real `node-zendesk` v6 client pointed at a running Relaydesk, with a transport that records every
 * response it receives, so wire-level checks (Content-Type, Retry-After) cover the client's own traffic.
 */
import nodeZendesk from 'node-zendesk';
import { apiEvent, lambdaContext, type RouteGroupHandler, type TestCaller } from './api-event.ts';

// node-zendesk is CommonJS whose exports Node cannot detect statically, so a named ESM import fails.
const { createClient } = nodeZendesk;

export interface RecordedResponse {
  method: string;
  url: string;
  status: number;
  headers: Headers;
}

export interface ClientOptions {
  apiUrl: string;
  username: string;
  token: string;
  /** `X-On-Behalf-Of` on every request. */
  asUser?: string;
  /** Rethrow node-zendesk's original error (it carries `.statusCode` and `.result`). */
  throwOriginalException?: boolean;
  /** Client-wide query parameters (node-zendesk's `query` option); they override its page[size]=100. */
  query?: Record<string, unknown>;
  record?: RecordedResponse[];
}

// biome-ignore lint/suspicious/noExplicitAny: node-zendesk's typings do not match its runtime results; tests read fields one by one
export type Loose = any;

/** node-zendesk's sub-clients, typed loosely: its .d.ts files disagree with what its methods return. */
export const zendeskClient = (options: ClientOptions): Loose => {
  const record = options.record;
  return createClient({
    username: options.username,
    token: options.token,
    endpointUri: options.apiUrl,
    ...(options.asUser ? { asUser: options.asUser } : {}),
    ...(options.throwOriginalException ? { throwOriginalException: true } : {}),
    ...(options.query ? { query: options.query } : {}),
    transportConfig: {
      transportFn: async (
        uri: string,
        init: { method: string; headers: Record<string, string>; body?: string },
      ) => {
        const response = await fetch(uri, {
          method: init.method,
          headers: init.headers,
          body: init.body ?? null,
        });
        record?.push({ method: init.method, url: uri, status: response.status, headers: response.headers });
        return response;
      },
      responseAdapter: fetchResponseAdapter,
    },
  } as Parameters<typeof createClient>[0]);
};

/** The same adapter node-zendesk uses by default for fetch responses. */
const fetchResponseAdapter = (response: Response) => ({
  json: () => response.json(),
  status: response.status,
  headers: { get: (name: string) => response.headers.get(name) },
  statusText: response.statusText,
});

/** node-zendesk whose every request is answered by one route-group handler in process, as `caller`. */
export const inProcessZendeskClient = (
  handler: RouteGroupHandler,
  caller: Extract<TestCaller, { userId: number }> & { email: string },
): Loose =>
  createClient({
    username: caller.email,
    token: 'unused-in-process',
    endpointUri: 'https://help.example.test/api/v2',
    transportConfig: {
      transportFn: async (uri: string, init: { method: string; body?: string }) => {
        const url = new URL(uri);
        const response = await handler(
          apiEvent({
            method: init.method as 'GET',
            path: `${url.pathname}${url.search}`,
            caller,
            ...(init.body ? { body: JSON.parse(init.body) } : {}),
          }),
          lambdaContext(),
        );
        return new Response(response.statusCode === 204 ? null : (response.body as string), {
          status: response.statusCode ?? 200,
          headers: response.headers as Record<string, string>,
        });
      },
      responseAdapter: fetchResponseAdapter,
    },
  } as Parameters<typeof createClient>[0]);

/** The HTTP status a node-zendesk call failed with (needs `throwOriginalException`), or 'resolved'. */
export const failureStatus = async (call: Promise<unknown>): Promise<number | 'resolved'> => {
  try {
    await call;
    return 'resolved';
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status !== 'number') throw error;
    return status;
  }
};
