import { describe, expect, it } from 'vitest';
import { pathsFor } from '../../infra/constructs/zendesk-http-api.ts';
import { RouteTable } from '../../infra/local/route-table.ts';
import { routeGroups } from '../../infra/topology.ts';

describe('webhook routes have no .json twins (Zendesk has none)', () => {
  const routes = new RouteTable(routeGroups);

  it('are matched locally only as Zendesk writes them', () => {
    expect(routes.match('GET', '/api/v2/webhooks')?.group.name).toBe('webhooks');
    expect(routes.match('GET', '//api/v2/webhooks')?.group.name).toBe('webhooks');
    expect(routes.match('GET', '/api/v2/webhooks.json')).toBeUndefined();
    expect(
      routes.match('GET', '/api/v2/webhooks/01JD0000000000000000000000/signing_secret.json'),
    ).toBeUndefined();
    expect(routes.match('GET', '/api/v2/webhooks/01JD0000000000000000000000')?.pathParameters).toEqual({
      id: '01JD0000000000000000000000',
    });
    // node-zendesk posts tests to `//webhooks/test`.
    expect(routes.match('POST', '//api/v2/webhooks/test')?.routeKey).toBe('POST /api/v2/webhooks/test');
    expect(
      routes.match('GET', '/api/v2/webhooks/01JD0000000000000000000000/invocations/12-34-5/attempts')
        ?.pathParameters,
    ).toEqual({ id: '01JD0000000000000000000000', invocation_id: '12-34-5' });
    // Every other group keeps its twins.
    expect(routes.match('GET', '/api/v2/tickets.json')?.group.name).toBe('tickets');
  });

  it('get one API Gateway route each', () => {
    expect(pathsFor('GET /api/v2/webhooks', false)).toEqual(['/api/v2/webhooks']);
    expect(pathsFor('GET /api/v2/tickets')).toEqual(['/api/v2/tickets', '/api/v2/tickets.json']);
  });
});
