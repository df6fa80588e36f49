/**
 * The local API Gateway: a node:http server that routes each request through the topology, runs the
 * authorizer, injects its context as `requestContext.authorizer.lambda` and invokes the route group's
 * handler with the payload v2.0 event, then writes the handler's result back as API Gateway would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  Context,
} from 'aws-lambda';
import type { AuthorizerContext } from '../../shared/http/caller.ts';
import type { FunctionSpec, RouteKey } from '../topology.ts';
import { runWithGrants } from './function-grants.ts';
import { exportedFunction, type ModuleLoader } from './function-modules.ts';
import { buildHttpApiEvents } from './http-api-event.ts';
import { createLambdaContext } from './lambda-context.ts';
import { handleLocalControl, LOCAL_CONTROL_PREFIX, type LocalControlTargets } from './local-control.ts';
import { PortInUseError } from './ports.ts';
import type { RouteTable } from './route-table.ts';

type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEventV2,
  context: Context,
) => Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>>;
type RouteHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** The one route API Gateway serves without the authorizer (load balancer and start-up probes). */
const UNAUTHORIZED_ROUTE: RouteKey = 'GET /healthz';

export interface HttpAdapterOptions {
  routes: RouteTable;
  authorizer: FunctionSpec;
  load: ModuleLoader;
  /** The runtime's clock and scheduler behind `/_local/...` (local-control.ts); absent: no such paths. */
  localControl?: LocalControlTargets;
  onError?: (message: string, error: unknown) => void;
}

interface Reply {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

const jsonReply = (statusCode: number, value: unknown): Reply => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  cookies: [],
  body: Buffer.from(JSON.stringify(value)),
});

const NOT_FOUND = () => jsonReply(404, { error: 'InvalidEndpoint', description: 'Not found' });
const FORBIDDEN = () =>
  jsonReply(403, { error: 'Forbidden', description: 'You do not have access to this resource' });

/** API Gateway's reading of a handler result: a structured response, or any other value as a JSON body. */
const toReply = (result: APIGatewayProxyResultV2): Reply => {
  if (typeof result === 'object' && result !== null && typeof result.statusCode === 'number') {
    const body = result.body ?? '';
    return {
      statusCode: result.statusCode,
      headers: Object.fromEntries(
        Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
      ),
      cookies: result.cookies ?? [],
      body: Buffer.from(body, result.isBase64Encoded ? 'base64' : 'utf8'),
    };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result)),
  };
};

const readBody = async (request: IncomingMessage): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
};

export const createRequestListener = ({
  routes,
  authorizer,
  load,
  localControl,
  onError,
}: HttpAdapterOptions) => {
  const logError = onError ?? ((message, error) => console.error(`[http] ${message}`, error));

  const handle = async (request: IncomingMessage): Promise<Reply> => {
    const method = request.method ?? 'GET';
    const url = request.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    if (localControl && path.startsWith(LOCAL_CONTROL_PREFIX)) {
      const reply = await handleLocalControl(
        localControl,
        method,
        path,
        (await readBody(request)) ?? Buffer.alloc(0),
      );
      return jsonReply(reply.statusCode, reply.body);
    }
    const route = routes.match(method, path);
    if (!route) return NOT_FOUND();
    const body = await readBody(request);
    if (!body) return jsonReply(413, { error: 'PayloadTooLarge', description: 'Request body is too large' });
    const { event, authorizerEvent } = buildHttpApiEvents(
      {
        method,
        url,
        rawHeaders: request.rawHeaders,
        body,
        sourceIp: (request.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
        httpVersion: request.httpVersion,
        receivedAt: new Date(),
      },
      route,
    );
    try {
      if (route.routeKey !== UNAUTHORIZED_ROUTE) {
        const authorize = await exportedFunction<AuthorizerHandler>(load, authorizer.entry);
        const decision = await runWithGrants('relaydesk-authorizer', authorizer, () =>
          authorize(
            authorizerEvent,
            createLambdaContext('relaydesk-authorizer', authorizer.timeoutSeconds, authorizer.memoryMb),
          ),
        );
        if (!decision.isAuthorized) return FORBIDDEN();
        Object.assign(event.requestContext, { authorizer: { lambda: decision.context } });
      }
      const invoke = await exportedFunction<RouteHandler>(load, route.group.entry);
      const functionName = `relaydesk-${route.group.name}`;
      const context = createLambdaContext(functionName, route.group.timeoutSeconds, route.group.memoryMb);
      return toReply(await runWithGrants(functionName, route.group, () => invoke(event, context)));
    } catch (error) {
      logError(`${route.routeKey} failed`, error);
      return jsonReply(500, {
        error: 'InternalError',
        description: error instanceof Error ? error.message : String(error),
      });
    }
  };

  return (request: IncomingMessage, response: ServerResponse): void => {
    handle(request)
      .catch((error: unknown) => {
        logError('request failed', error);
        return jsonReply(500, { error: 'InternalError', description: 'The request could not be read' });
      })
      .then((reply) => {
        response.statusCode = reply.statusCode;
        for (const [name, value] of Object.entries(reply.headers)) response.setHeader(name, value);
        if (reply.cookies.length > 0) response.setHeader('set-cookie', reply.cookies);
        response.setHeader('content-length', reply.body.length);
        response.end(reply.body);
      });
  };
};

export interface LocalHttpServer {
  server: Server;
  /** Stops accepting connections and waits for requests in flight. */
  stop(): Promise<void>;
}

/** Listens on 127.0.0.1 only; a taken port rejects with a PortInUseError naming `portVariable`. */
export const listenOnLoopback = (
  listener: (request: IncomingMessage, response: ServerResponse) => void,
  port: number,
  portVariable: string,
): Promise<LocalHttpServer> =>
  new Promise((resolve, reject) => {
    const server = createServer(listener);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, portVariable) : error),
    );
    server.listen(port, '127.0.0.1', () => resolve({ server, stop: () => closeServer(server) }));
  });

/** Closes a server: idle keep-alive connections at once, busy ones after a grace period. */
export const closeServer = (server: Server, graceMs = 5000): Promise<void> =>
  new Promise((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close((error) => {
      clearTimeout(force);
      if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
