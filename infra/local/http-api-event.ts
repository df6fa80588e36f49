/**
 * Builds the API Gateway HTTP API payload v2.0 event (and the matching REQUEST authorizer event) from a
 * raw Node request, field for field as AWS does, so handlers cannot tell the local runtime from AWS.
 */
import { randomUUID } from 'node:crypto';
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2,
  APIGatewayRequestAuthorizerEventV2,
} from 'aws-lambda';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './local-aws.ts';
import type { MatchedRoute } from './route-table.ts';

export const LOCAL_API_ID = 'local';

export interface RawRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  /** Node's `rawHeaders`: alternating names and values, duplicates kept. */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  httpVersion: string;
  receivedAt: Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's request time format: `12/Mar/2020:19:03:58 +0000`. */
const requestTime = (instant: Date): string => {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(instant.getUTCDate())}/${MONTHS[instant.getUTCMonth()]}/${instant.getUTCFullYear()}:` +
    `${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())}:${pad(instant.getUTCSeconds())} +0000`
  );
};

/** Bodies API Gateway passes as text; everything else arrives base64-encoded. */
const isTextual = (contentType: string | undefined): boolean => {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    mediaType.startsWith('text/') ||
    mediaType === 'application/json' ||
    mediaType.endsWith('+json') ||
    mediaType === 'application/x-www-form-urlencoded'
  );
};

const decodeQueryComponent = (component: string): string => {
  try {
    return decodeURIComponent(component.replaceAll('+', ' '));
  } catch {
    return component;
  }
};

const joinDuplicates = (pairs: Iterable<[string, string]>): Record<string, string> => {
  const joined: Record<string, string> = {};
  for (const [name, value] of pairs) {
    joined[name] = name in joined ? `${joined[name]},${value}` : value;
  }
  return joined;
};

export interface HttpApiEvents {
  event: APIGatewayProxyEventV2;
  authorizerEvent: APIGatewayRequestAuthorizerEventV2;
}

export const buildHttpApiEvents = (request: RawRequest, route: MatchedRoute): HttpApiEvents => {
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : request.url.slice(queryStart + 1);

  const headerPairs: [string, string][] = [];
  const cookies: string[] = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = (request.rawHeaders[index] ?? '').toLowerCase();
    const value = request.rawHeaders[index + 1] ?? '';
    // Payload v2.0 moves cookies out of the headers into their own list.
    if (name === 'cookie') cookies.push(...value.split(/;\s*/).filter(Boolean));
    else headerPairs.push([name, value]);
  }
  const headers = joinDuplicates(headerPairs);

  const queryPairs = rawQueryString
    .split('&')
    .filter(Boolean)
    .map((pair): [string, string] => {
      const equals = pair.indexOf('=');
      return equals === -1
        ? [decodeQueryComponent(pair), '']
        : [decodeQueryComponent(pair.slice(0, equals)), decodeQueryComponent(pair.slice(equals + 1))];
    });
  const queryStringParameters = queryPairs.length > 0 ? joinDuplicates(queryPairs) : undefined;
  const pathParameters = Object.keys(route.pathParameters).length > 0 ? route.pathParameters : undefined;

  const host = headers.host ?? '';
  const requestContext: APIGatewayEventRequestContextV2 = {
    accountId: LOCAL_ACCOUNT,
    apiId: LOCAL_API_ID,
    domainName: host,
    domainPrefix: host.split('.')[0] ?? '',
    http: {
      method: request.method,
      path: rawPath,
      protocol: `HTTP/${request.httpVersion}`,
      sourceIp: request.sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    requestId: randomUUID(),
    routeKey: route.routeKey,
    stage: '$default',
    time: requestTime(request.receivedAt),
    timeEpoch: request.receivedAt.getTime(),
  };

  const textual = isTextual(headers['content-type']);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(queryStringParameters && { queryStringParameters }),
    requestContext,
    ...(request.body.length > 0 && {
      body: request.body.toString(textual ? 'utf8' : 'base64'),
    }),
    ...(pathParameters && { pathParameters }),
    isBase64Encoded: request.body.length > 0 && !textual,
  };

  const authorizerEvent: APIGatewayRequestAuthorizerEventV2 = {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${LOCAL_API_ID}/$default/${request.method}${rawPath}`,
    identitySource: [],
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    cookies,
    headers,
    ...(queryStringParameters && { queryStringParameters }),
    requestContext,
    ...(pathParameters && { pathParameters }),
  };
  return { event, authorizerEvent };
};
