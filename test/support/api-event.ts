/**
 * API Gateway HTTP API (payload v2.0) events for calling route-group handlers directly, as the
 * authorizer would have left them: `caller` becomes `requestContext.authorizer.lambda`.
 */
import type { Context } from 'aws-lambda';
import { runWithGrants } from '../../infra/local/function-grants.ts';
import { RouteTable } from '../../infra/local/route-table.ts';
import { type Role, routeGroups } from '../../infra/topology.ts';
import type { AuthorizerContext } from '../../shared/http/caller.ts';
import type { ApiEvent, ApiResponse } from '../../shared/http/route-group.ts';

export type TestCaller =
  | { userId: number; role: Role; email?: string }
  | 'anonymous'
  | { rejected: 'invalid_credentials' | 'on_behalf_of_forbidden' };

export interface ApiEventInput {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path as a client sends it, optionally with a query string (`/api/v2/users.json?page=2`). */
  path: string;
  /** Defaults to `${method} ${path}` with the `.json` and query removed (cosmetic: the router matches paths). */
  routeKey?: string;
  body?: unknown;
  /** Added to any query string in `path`; values are encoded as node-zendesk does (brackets too). */
  query?: Record<string, string | number>;
  caller?: TestCaller;
  headers?: Record<string, string>;
}

const authorizerContext = (caller: TestCaller): AuthorizerContext => {
  if (caller === 'anonymous') return { status: 'anonymous' };
  if ('rejected' in caller) return { status: 'rejected', reason: caller.rejected };
  return {
    status: 'authenticated',
    userId: caller.userId,
    role: caller.role,
    email: caller.email ?? `user${caller.userId}@example.com`,
    rateLimit: 700,
    rateLimitRemaining: 699,
  };
};

export const apiEvent = (input: ApiEventInput): ApiEvent => {
  const [rawPath = '', inlineQuery = ''] = input.path.split('?');
  const extraQuery = Object.entries(input.query ?? {})
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&');
  const rawQueryString = [inlineQuery, extraQuery].filter(Boolean).join('&');
  const body = input.body === undefined ? undefined : JSON.stringify(input.body);
  const routeKey = input.routeKey ?? `${input.method} ${rawPath.replace(/\.json$/, '')}`;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers: {
      host: '127.0.0.1',
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...input.headers,
    },
    ...(rawQueryString
      ? {
          queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)),
        }
      : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: {
        method: input.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      requestId: `test-${now.getTime()}-${Math.random().toString(36).slice(2)}`,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: { lambda: authorizerContext(input.caller ?? 'anonymous') },
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
};

/** A minimal Lambda context (the logger middleware reads a few fields from it). */
export const lambdaContext = (functionName = 'test'): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
  memoryLimitInMB: '256',
  awsRequestId: `test-${Math.random().toString(36).slice(2)}`,
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

export type RouteGroupHandler = (event: ApiEvent, context: Context) => Promise<ApiResponse>;

export interface CallResult {
  status: number;
  headers: Record<string, string | number | boolean>;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in assertions
  body: any;
}

/** Calls a route-group handler and parses its JSON response. */
const ROUTES = new RouteTable(routeGroups);

/**
 * Calls the handler as the route group the path belongs to would run, under that group's table
 * grants (infra/local/function-grants.ts), so a test fails where AWS would deny the access.
 */
export const callApi = async (handler: RouteGroupHandler, input: ApiEventInput): Promise<CallResult> => {
  const group = ROUTES.match(input.method, input.path.split('?')[0] ?? '')?.group;
  const invoke = () => handler(apiEvent(input), lambdaContext());
  const response = group ? await runWithGrants(`relaydesk-${group.name}`, group, invoke) : await invoke();
  const text = typeof response.body === 'string' ? response.body : '';
  return {
    status: response.statusCode ?? 200,
    headers: response.headers ?? {},
    body: text ? JSON.parse(text) : undefined,
  };
};
