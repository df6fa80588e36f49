import { request } from 'node:http';
import type {
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayProxyResultV2,
  APIGatewayRequestAuthorizerEventV2,
} from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionModule } from '../../infra/local/function-modules.ts';
import {
  createRequestListener,
  type LocalHttpServer,
  listenOnLoopback,
} from '../../infra/local/http-adapter.ts';
import { freePort, PortInUseError } from '../../infra/local/ports.ts';
import { RouteTable } from '../../infra/local/route-table.ts';
import type { RouteGroup } from '../../infra/topology.ts';
import type { AuthorizerContext } from '../../shared/http/caller.ts';

type RouteEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>;

const groups: RouteGroup[] = [
  { name: 'health', entry: 'fixture/health.ts', tables: [], routes: { 'GET /healthz': 'anonymous' } },
  {
    name: 'users',
    entry: 'fixture/users.ts',
    tables: [],
    routes: {
      'GET /api/v2/users/me': ['admin'],
      'GET /api/v2/users/{id}': ['admin'],
      'GET /api/v2/users/{id}/tickets/requested': ['admin'],
      'POST /api/v2/users': ['admin'],
    },
  },
];

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch, so the test controls duplicate headers and the exact request path. */
const send = (port: number, method: string, path: string, headers: string[] = [], body?: Buffer) =>
  new Promise<Answer>((resolve, reject) => {
    // Raw header lists get no automatic Host header, and HTTP/1.1 requires one.
    const rawHeaders = ['Host', `127.0.0.1:${port}`, ...headers];
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers: rawHeaders }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });

describe('the local HTTP adapter', () => {
  let port: number;
  let http: LocalHttpServer;
  let routeEvents: RouteEvent[];
  let authorizerEvents: APIGatewayRequestAuthorizerEventV2[];
  let decision: { isAuthorized: boolean; context: AuthorizerContext };
  let answer: (event: RouteEvent) => Promise<APIGatewayProxyResultV2>;
  const errors: unknown[] = [];

  const modules: Record<string, FunctionModule> = {
    'fixture/authorizer.ts': {
      handler: async (event: APIGatewayRequestAuthorizerEventV2) => {
        authorizerEvents.push(event);
        return decision;
      },
    },
    'fixture/users.ts': {
      handler: async (event: RouteEvent) => {
        routeEvents.push(event);
        return answer(event);
      },
    },
    'fixture/health.ts': {
      handler: async (event: RouteEvent) => {
        routeEvents.push(event);
        return { statusCode: 200, body: '{"status":"ok"}' };
      },
    },
  };

  beforeAll(async () => {
    port = await freePort();
    http = await listenOnLoopback(
      createRequestListener({
        routes: new RouteTable(groups),
        authorizer: { entry: 'fixture/authorizer.ts', tables: [] },
        load: async (entry) => modules[entry] ?? {},
        onError: (_message, error) => errors.push(error),
      }),
      port,
      'RELAYDESK_PORT',
    );
  });
  afterAll(async () => {
    await http.stop();
  });
  beforeEach(() => {
    routeEvents = [];
    authorizerEvents = [];
    errors.length = 0;
    decision = {
      isAuthorized: true,
      context: {
        status: 'authenticated',
        userId: 7,
        role: 'admin',
        email: 'a@b.c',
        rateLimit: 700,
        rateLimitRemaining: 699,
      },
    };
    answer = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' });
  });

  it('passes the route an HTTP API payload v2.0 event, as API Gateway builds it', async () => {
    const path = '/api/v2/users/42/tickets/requested.json?sort=id&tag=a&tag=b&q=hello%20world+again';
    const answerFromApi = await send(port, 'GET', path, [
      'X-Custom',
      'one',
      'x-custom',
      'two',
      'Cookie',
      'session=abc; theme=dark',
      'User-Agent',
      'relaydesk-test',
    ]);
    expect(answerFromApi.status).toBe(200);
    expect(routeEvents).toHaveLength(1);
    const event = routeEvents[0] as RouteEvent;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /api/v2/users/{id}/tickets/requested',
      rawPath: '/api/v2/users/42/tickets/requested.json',
      rawQueryString: 'sort=id&tag=a&tag=b&q=hello%20world+again',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { sort: 'id', tag: 'a,b', q: 'hello world again' },
      pathParameters: { id: '42' },
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({
      'x-custom': 'one,two',
      'user-agent': 'relaydesk-test',
      host: `127.0.0.1:${port}`,
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.requestContext).toMatchObject({
      accountId: expect.any(String),
      apiId: expect.any(String),
      domainName: `127.0.0.1:${port}`,
      domainPrefix: '127',
      http: {
        method: 'GET',
        path: '/api/v2/users/42/tickets/requested.json',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'relaydesk-test',
      },
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      routeKey: 'GET /api/v2/users/{id}/tickets/requested',
      stage: '$default',
      time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
      timeEpoch: expect.any(Number),
    });
  });

  it('asks the authorizer with a REQUEST event and injects its context as requestContext.authorizer.lambda', async () => {
    await send(port, 'GET', '/api/v2/users/me', ['Authorization', 'Basic abc']);
    expect(authorizerEvents[0]).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: expect.stringMatching(/\/\$default\/GET\/api\/v2\/users\/me$/),
      identitySource: [],
      routeKey: 'GET /api/v2/users/me',
      rawPath: '/api/v2/users/me',
      headers: { authorization: 'Basic abc' },
      requestContext: { routeKey: 'GET /api/v2/users/me' },
    });
    expect(routeEvents[0]?.requestContext.authorizer).toEqual({ lambda: decision.context });
  });

  it('answers 403 without calling the route when the authorizer denies', async () => {
    decision = { isAuthorized: false, context: { status: 'anonymous' } };
    const denied = await send(port, 'GET', '/api/v2/users/me');
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body)).toEqual({
      error: 'Forbidden',
      description: 'You do not have access to this resource',
    });
    expect(routeEvents).toHaveLength(0);
  });

  it('serves GET /healthz without the authorizer', async () => {
    const health = await send(port, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(authorizerEvents).toHaveLength(0);
  });

  it.each([
    ['/api/v2/users/me.json', 'GET /api/v2/users/me', undefined],
    ['//api//v2/users/me', 'GET /api/v2/users/me', undefined],
    ['/api/v2/users/15.json', 'GET /api/v2/users/{id}', { id: '15' }],
    ['/api/v2/users/a%20b', 'GET /api/v2/users/{id}', { id: 'a b' }],
  ])('matches %s to %s, keeping the original rawPath', async (path, routeKey, pathParameters) => {
    await send(port, 'GET', path);
    expect(routeEvents[0]).toMatchObject({ routeKey, rawPath: path });
    expect(routeEvents[0]?.pathParameters).toEqual(pathParameters);
  });

  it.each([
    ['GET', '/api/v2/nothing'],
    ['DELETE', '/api/v2/users/me'],
    ['GET', '/api/v2/users/1/tickets'],
    ['GET', '/'],
  ])('answers %s %s, which is no route, with 404 InvalidEndpoint', async (method, path) => {
    const missing = await send(port, method, path);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(missing.body).toBe('{"error":"InvalidEndpoint","description":"Not found"}');
    expect(authorizerEvents).toHaveLength(0);
  });

  it('passes a JSON body as text and a binary body as base64', async () => {
    await send(
      port,
      'POST',
      '/api/v2/users',
      ['Content-Type', 'application/json'],
      Buffer.from('{"user":{}}'),
    );
    await send(port, 'POST', '/api/v2/users', ['Content-Type', 'image/png'], Buffer.from([0, 255, 1]));
    expect(routeEvents.map(({ body, isBase64Encoded }) => ({ body, isBase64Encoded }))).toEqual([
      { body: '{"user":{}}', isBase64Encoded: false },
      { body: Buffer.from([0, 255, 1]).toString('base64'), isBase64Encoded: true },
    ]);
  });

  it("writes back the handler's status, headers, cookies and (base64) body", async () => {
    answer = async () => ({
      statusCode: 201,
      headers: { 'X-Total': 3, Location: '/api/v2/users/1' },
      cookies: ['a=1; Path=/', 'b=2'],
      body: Buffer.from('binary!').toString('base64'),
      isBase64Encoded: true,
    });
    const created = await send(port, 'GET', '/api/v2/users/1');
    expect(created).toMatchObject({
      status: 201,
      body: 'binary!',
      headers: { 'x-total': '3', location: '/api/v2/users/1', 'set-cookie': ['a=1; Path=/', 'b=2'] },
    });
  });

  it('reads a result without statusCode as a JSON body, as API Gateway does', async () => {
    answer = async () => ({ user: { id: 1 } }) as unknown as APIGatewayProxyResultV2;
    const inferred = await send(port, 'GET', '/api/v2/users/1');
    expect(inferred.status).toBe(200);
    expect(JSON.parse(inferred.body)).toEqual({ user: { id: 1 } });
  });

  it('answers 500 InternalError and logs when a handler throws', async () => {
    answer = async () => {
      throw new Error('store unavailable');
    };
    const failed = await send(port, 'GET', '/api/v2/users/1');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ error: 'InternalError', description: 'store unavailable' });
    expect(errors).toHaveLength(1);
  });

  it('refuses a busy port with an error naming the variable to change', async () => {
    await expect(listenOnLoopback(() => {}, port, 'RELAYDESK_PORT')).rejects.toThrow(
      new PortInUseError(port, 'RELAYDESK_PORT'),
    );
  });
});
