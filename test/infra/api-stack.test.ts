import { beforeAll, describe, expect, it } from 'vitest';
import { authorizer, routeGroups } from '../../infra/topology.ts';
import {
  functionForEntry,
  type Resource,
  referencedId,
  resourceById,
  resourcesOfType,
  type Synthesized,
  synthesize,
} from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const HEALTH_ROUTE = 'GET /healthz';

/**
 * Zendesk clients append `.json`; a path ending in `{param}` already matches `5.json`. Groups that
 * opt out (webhooks: Zendesk has no `.json` form) get none.
 */
const expectedRouteKeys =
  (group: { jsonTwins?: boolean }) =>
  (routeKey: string): string[] => {
    const path = routeKey.split(' ')[1] ?? '';
    return routeKey === HEALTH_ROUTE || path.endsWith('}') || group.jsonTwins === false
      ? [routeKey]
      : [routeKey, `${routeKey}.json`];
  };

type Route = { RouteKey: string; Target?: string; AuthorizationType?: string; AuthorizerId?: unknown };
const routes = (): Route[] =>
  resourcesOfType(synth.templates.api, 'AWS::ApiGatewayV2::Route').map(
    ([, route]) => route.Properties as unknown as Route,
  );

/** The function a route invokes: route → `integrations/<id>` → integration → IntegrationUri. */
const functionIdOfRoute = (route: Route): string | undefined => {
  const target = route.Target as unknown as { 'Fn::Join': [string, unknown[]] } | undefined;
  const integrationId = referencedId(target?.['Fn::Join'][1][1])?.id;
  return referencedId(resourceById(synth.templates.api, integrationId).Properties.IntegrationUri)?.id;
};

describe('HTTP API', () => {
  it('has exactly the topology route keys plus their .json twins', () => {
    const expected = routeGroups.flatMap((group) =>
      Object.keys(group.routes).flatMap(expectedRouteKeys(group)),
    );
    const actual = routes().map((route) => route.RouteKey);
    expect(new Set(actual).size).toBe(actual.length);
    expect([...actual].sort()).toEqual([...new Set(expected)].sort());
    // Guard the twin rule itself against a silent regression.
    expect(actual).toContain('GET /api/v2/tickets.json');
    expect(actual).not.toContain('GET /api/v2/tickets/{id}.json');
    expect(actual).not.toContain('GET /healthz.json');
    expect(actual).toContain('GET /api/v2/webhooks');
    expect(actual).not.toContain('GET /api/v2/webhooks.json');
  });

  it.each(routeGroups.map((group) => [group.name, group] as const))(
    'routes every %s route (and its twin) to that group’s one function',
    (_name, group) => {
      const [functionId] = functionForEntry(synth.templates.api, group.entry);
      const keys = new Set(Object.keys(group.routes).flatMap(expectedRouteKeys(group)));
      const groupRoutes = routes().filter((route) => keys.has(route.RouteKey));
      expect(groupRoutes).toHaveLength(keys.size);
      for (const route of groupRoutes) expect(functionIdOfRoute(route), route.RouteKey).toBe(functionId);
    },
  );

  it('uses one function per route group', () => {
    const functionIds = routeGroups.map((group) => functionForEntry(synth.templates.api, group.entry)[0]);
    expect(new Set(functionIds).size).toBe(routeGroups.length);
  });

  it('has a Lambda REQUEST authorizer with simple responses, no caching and no identity source', () => {
    const authorizers = resourcesOfType(synth.templates.api, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [, { Properties: props }] = authorizers[0] as [string, Resource];
    expect(props.AuthorizerType).toBe('REQUEST');
    expect(props.EnableSimpleResponses).toBe(true);
    expect(props.AuthorizerPayloadFormatVersion).toBe('2.0');
    expect(props.AuthorizerResultTtlInSeconds).toBe(0);
    // Anonymous calls carry no credentials; an identity source would make API Gateway 401 them unseen.
    expect(props.IdentitySource ?? []).toEqual([]);
    const [authorizerFunctionId] = functionForEntry(synth.templates.api, authorizer.entry);
    expect(JSON.stringify(props.AuthorizerUri)).toContain(`"${authorizerFunctionId}"`);
  });

  it('puts the authorizer on every route except the health check', () => {
    const [[authorizerId]] = resourcesOfType(synth.templates.api, 'AWS::ApiGatewayV2::Authorizer') as [
      [string, unknown],
    ];
    for (const route of routes()) {
      if (route.RouteKey === HEALTH_ROUTE) {
        expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(route.AuthorizerId).toBeUndefined();
      } else {
        expect(route.AuthorizationType, route.RouteKey).toBe('CUSTOM');
        expect(referencedId(route.AuthorizerId)?.id, route.RouteKey).toBe(authorizerId);
      }
    }
  });

  it('lets API Gateway invoke each route function and the authorizer', () => {
    const invoked = new Set(
      resourcesOfType(synth.templates.api, 'AWS::Lambda::Permission')
        .filter(([, permission]) => permission.Properties.Principal === 'apigateway.amazonaws.com')
        .map(([, permission]) => referencedId(permission.Properties.FunctionName)?.id),
    );
    for (const spec of [authorizer, ...routeGroups]) {
      expect(invoked.has(functionForEntry(synth.templates.api, spec.entry)[0]), spec.entry).toBe(true);
    }
  });

  it('outputs the API URL', () => {
    const outputs = synth.templates.api.findOutputs('ApiUrl');
    expect(Object.keys(outputs)).toHaveLength(1);
    const [httpApiId] = resourcesOfType(synth.templates.api, 'AWS::ApiGatewayV2::Api')[0] ?? [];
    expect(outputs.ApiUrl?.Value).toEqual({ 'Fn::GetAtt': [httpApiId, 'ApiEndpoint'] });
  });
});
