/**
 * The public HTTP API: every route of every route group in the topology, each group served by one
 * function, all but the health check behind the Lambda authorizer. Zendesk clients append `.json` to
 * paths, so each route whose path does not end in a parameter also answers with the suffix.
 */
import { Duration } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import {
  authorizer as authorizerSpec,
  parseRouteKey,
  type RouteGroup,
  type RouteKey,
  routeGroups,
} from '../topology.ts';
import { constructId } from './construct-id.ts';
import { type FunctionResources, RelaydeskFunction } from './relaydesk-function.ts';

/**
 * Not a Zendesk endpoint, so it has no `.json` twin; and it skips the authorizer, because load
 * balancers and uptime checks carry no token and must not cost a directory lookup.
 */
const HEALTH_CHECK: RouteKey = 'GET /healthz';

/**
 * The paths API Gateway must match for one topology route. A path ending in `{param}` already
 * matches `5.json` (the parameter arrives as `5.json` and the router strips the suffix), so only
 * paths ending in a literal segment get a `.json` twin.
 */
export const pathsFor = (routeKey: RouteKey, jsonTwins = true): string[] => {
  const { path } = parseRouteKey(routeKey);
  if (!jsonTwins || path.endsWith('}') || routeKey === HEALTH_CHECK) return [path];
  return [path, `${path}.json`];
};

export interface ZendeskHttpApiProps {
  resources: FunctionResources;
}

export class ZendeskHttpApi extends Construct {
  readonly api: HttpApi;
  readonly authorizerFunction: RelaydeskFunction;
  readonly routeFunctions: ReadonlyMap<string, RelaydeskFunction>;

  constructor(scope: Construct, id: string, props: ZendeskHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'HttpApi', { description: 'Relaydesk Zendesk-compatible API' });

    this.authorizerFunction = new RelaydeskFunction(this, 'Authorizer', {
      spec: { name: 'authorizer', ...authorizerSpec },
      resources: props.resources,
    });
    const authorizer = new HttpLambdaAuthorizer('Authorizer', this.authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // Anonymous callers send no credentials, and API Gateway skips the authorizer (401) when an
      // identity source is missing. With no identity source caching must be off, which also means a
      // revoked token stops working at once. The authorizer always allows; its context says who called.
      identitySource: [],
      resultsCacheTtl: Duration.seconds(0),
    });

    const functions = new Map<string, RelaydeskFunction>();
    for (const group of routeGroups) {
      functions.set(group.name, this.addRouteGroup(group, authorizer, props));
    }
    this.routeFunctions = functions;
  }

  private addRouteGroup(
    group: RouteGroup,
    authorizer: IHttpRouteAuthorizer,
    props: ZendeskHttpApiProps,
  ): RelaydeskFunction {
    const fn = new RelaydeskFunction(this, `${constructId(group.name)}Routes`, {
      spec: group,
      resources: props.resources,
    });
    // One API-wide invoke permission per function: a permission per route would overflow the
    // function's 20 KB resource policy on the larger groups.
    const integration = new HttpLambdaIntegration(`${constructId(group.name)}Integration`, fn, {
      scopePermissionToRoute: false,
    });
    for (const routeKey of Object.keys(group.routes) as RouteKey[]) {
      const { method } = parseRouteKey(routeKey);
      for (const path of pathsFor(routeKey, group.jsonTwins !== false)) {
        new HttpRoute(this, `${method}${path}`, {
          httpApi: this.api,
          routeKey: HttpRouteKey.with(path, HttpMethod[method]),
          integration,
          ...(routeKey === HEALTH_CHECK ? {} : { authorizer }),
        });
      }
    }
    return fn;
  }
}
