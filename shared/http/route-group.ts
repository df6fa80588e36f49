/**
 * Builds the Lambda handler of one route group of the wiring table. The middy stack is the same for
 * every route: path normalisation (`.json`, `//`), structured logging, identity from the authorizer,
 * the route's declared roles, JSON body parsing, error mapping to Zendesk bodies, JSON response.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpRouterHandler, { type Method } from '@middy/http-router';
import type {
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { type Access, parseRouteKey, type RouteKey, routeGroups } from '../../infra/topology.ts';
import { ForbiddenError, InvalidRequestError } from '../domain/errors.ts';
import { logger } from '../observability/logger.ts';
import type { ApiRequest, ApiResult, RouteImplementation } from './api-request.ts';
import type { AuthorizerContext, Caller } from './caller.ts';
import { AuthenticationError, errorResponse, RateLimitedError, UNKNOWN_ROUTE } from './error-response.ts';

export type ApiEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>;
export type ApiResponse = APIGatewayProxyStructuredResultV2;

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** Zendesk clients append `.json` and sometimes double a slash; routes are declared without either. */
export const normalizeApiPath = (path: string): string => {
  const collapsed = path.replace(/\/{2,}/g, '/');
  const withoutSuffix = collapsed.endsWith('.json') ? collapsed.slice(0, -'.json'.length) : collapsed;
  return withoutSuffix.length > 1 && withoutSuffix.endsWith('/') ? withoutSuffix.slice(0, -1) : withoutSuffix;
};

export const jsonResponse = (
  statusCode: number,
  body?: unknown,
  headers: Record<string, string> = {},
): ApiResponse => ({
  statusCode,
  headers: { 'Content-Type': JSON_CONTENT_TYPE, ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});

const normalizePath = (): MiddlewareObj<ApiEvent, ApiResponse> => ({
  before: ({ event }) => {
    event.requestContext.http.path = normalizeApiPath(event.rawPath);
    // API Gateway captured `{id}` as e.g. `5.json`; let the router extract it from the normalised path.
    event.pathParameters = undefined;
  },
});

class RouteNotFound extends Error {}

const mapErrors = (): MiddlewareObj<ApiEvent, ApiResponse> => ({
  onError: (request) => {
    if (request.error instanceof RouteNotFound) {
      request.response = jsonResponse(UNKNOWN_ROUTE.statusCode, UNKNOWN_ROUTE.body);
      return;
    }
    const known = errorResponse(request.error);
    if (known) {
      request.response = jsonResponse(known.statusCode, known.body, known.headers);
      return;
    }
    logger.error('Unhandled error', { error: request.error as Error });
    request.response = jsonResponse(500, { error: 'InternalError', description: 'Something went wrong' });
  },
});

const callerOf = (event: ApiEvent, access: Access): Caller | undefined => {
  const context = event.requestContext.authorizer?.lambda;
  // Routes outside the authorizer (GET /healthz) arrive with no context at all, in AWS and locally.
  if (!context && access === 'anonymous') return undefined;
  if (!context || context.status === 'rejected') {
    if (context?.reason === 'on_behalf_of_forbidden') throw new ForbiddenError();
    throw new AuthenticationError();
  }
  if (context.status === 'rate_limited')
    throw new RateLimitedError(context.rateLimit, context.retryAfterSeconds);
  if (context.status === 'anonymous') {
    if (access === 'anonymous') return undefined;
    throw new AuthenticationError();
  }
  const caller: Caller = { userId: Number(context.userId), role: context.role, email: context.email };
  if (access !== 'anonymous' && !access.includes(caller.role)) throw new ForbiddenError();
  return caller;
};

const parseJsonBody = (event: ApiEvent): unknown => {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES)
    throw new InvalidRequestError('Request body is too large');
  if (!text.trim()) return undefined;
  // HTML forms (survey pages) post form-encoded fields: a flat record of strings, validated by the route.
  const contentType = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '';
  if (contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidRequestError('The request body is not valid JSON');
  }
};

export const publicUrlOf = (event: ApiEvent): string =>
  (process.env.PUBLIC_URL ?? `https://${event.requestContext.domainName}`).replace(/\/$/, '');

const toApiRequest = (event: ApiEvent, caller: Caller | undefined): ApiRequest => ({
  caller,
  path: event.requestContext.http.path,
  pathParameters: Object.fromEntries(
    Object.entries(event.pathParameters ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  ),
  query: new URLSearchParams(event.rawQueryString ?? ''),
  body: parseJsonBody(event),
  headers: event.headers ?? {},
  publicUrl: publicUrlOf(event),
});

/** Zendesk sends the caller's budget on every response (zendesk-api.md §1.6). */
const rateLimitHeaders = (event: ApiEvent): Record<string, string> => {
  const context = event.requestContext.authorizer?.lambda;
  if (context?.status !== 'authenticated') return {};
  return {
    'X-Rate-Limit': String(context.rateLimit),
    'X-Rate-Limit-Remaining': String(context.rateLimitRemaining),
  };
};

const toResponse = (result: ApiResult): ApiResponse => {
  if (result.statusCode === 204) return { statusCode: 204, headers: result.headers ?? {}, body: '' };
  if (result.rawBody) {
    return {
      statusCode: result.statusCode,
      headers: result.headers ?? {},
      body: result.rawBody.toString('base64'),
      isBase64Encoded: true,
    };
  }
  return jsonResponse(result.statusCode, result.body, result.headers);
};

export type RouteImplementations = Readonly<Partial<Record<RouteKey, RouteImplementation>>>;

export const createRouteGroupHandler = (groupName: string, implementations: RouteImplementations) => {
  const group = routeGroups.find((candidate) => candidate.name === groupName);
  if (!group) throw new Error(`No route group named ${groupName} in the wiring table`);
  const declared = Object.entries(group.routes) as [RouteKey, Access][];
  const missing = declared.filter(([key]) => !implementations[key]).map(([key]) => key);
  const undeclared = Object.keys(implementations).filter((key) => !(key in group.routes));
  if (missing.length || undeclared.length) {
    throw new Error(
      `Route group ${groupName} does not match the wiring table: missing [${missing}] undeclared [${undeclared}]`,
    );
  }

  const routes = declared.map(([key, access]) => {
    const { method, path } = parseRouteKey(key);
    const implementation = implementations[key] as RouteImplementation;
    return {
      method: method as Method,
      path,
      handler: async (event: ApiEvent): Promise<ApiResponse> => {
        const response = toResponse(await implementation(toApiRequest(event, callerOf(event, access))));
        return { ...response, headers: { ...response.headers, ...rateLimitHeaders(event) } };
      },
    };
  });

  const router = httpRouterHandler<ApiEvent, ApiResponse>({
    routes,
    notFoundResponse: () => {
      throw new RouteNotFound();
    },
  });

  return middy<ApiEvent, ApiResponse, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(normalizePath())
    .use(mapErrors())
    .handler(router);
};
