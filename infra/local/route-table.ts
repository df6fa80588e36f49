/**
 * Matches a request to a topology route the way API Gateway HTTP API does: method plus path template,
 * `{param}` segments capture one segment, and a static segment beats a parameter at the same position
 * (so `/users/me` wins over `/users/{id}`).
 */
import { parseRouteKey, type RouteGroup, type RouteKey } from '../topology.ts';

export interface MatchedRoute {
  routeKey: RouteKey;
  group: RouteGroup;
  pathParameters: Record<string, string>;
}

interface CompiledRoute {
  routeKey: RouteKey;
  group: RouteGroup;
  method: string;
  /** A string is a static segment; `{ param }` captures one segment. */
  segments: (string | { param: string })[];
}

const splitPath = (path: string): string[] => path.split('/').slice(1);

/** The path used for matching only: repeated slashes collapsed and a trailing `.json` dropped (Zendesk style). */
export const normalizePath = (path: string): string => path.replace(/\/{2,}/g, '/').replace(/\.json$/, '');

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export class RouteTable {
  private readonly routes: CompiledRoute[];

  constructor(groups: readonly RouteGroup[]) {
    this.routes = groups.flatMap((group) =>
      (Object.keys(group.routes) as RouteKey[]).map((routeKey) => {
        const { method, path } = parseRouteKey(routeKey);
        return {
          routeKey,
          group,
          method,
          segments: splitPath(path).map((segment) => {
            const param = /^\{(\w+)\}$/.exec(segment)?.[1];
            return param ? { param } : segment;
          }),
        };
      }),
    );
  }

  match(method: string, rawPath: string): MatchedRoute | undefined {
    const normalized = splitPath(normalizePath(rawPath));
    // Groups without `.json` twins (webhooks) match the path as sent, as API Gateway would.
    const asSent = splitPath(rawPath.replace(/\/{2,}/g, '/'));
    let best: { route: CompiledRoute; rank: string; requested: string[] } | undefined;
    for (const route of this.routes) {
      const requested = route.group.jsonTwins === false ? asSent : normalized;
      if (route.method !== method || route.segments.length !== requested.length) continue;
      const fits = route.segments.every(
        (segment, index) => typeof segment !== 'string' || segment === requested[index],
      );
      if (!fits) continue;
      // Left to right, a static segment outranks a parameter: compare "s"/"p" strings lexically.
      const rank = route.segments.map((segment) => (typeof segment === 'string' ? 's' : 'p')).join('');
      if (!best || rank > best.rank) best = { route, rank, requested };
    }
    if (!best) return undefined;
    const { requested } = best;
    const pathParameters: Record<string, string> = {};
    best.route.segments.forEach((segment, index) => {
      if (typeof segment !== 'string') pathParameters[segment.param] = decodeSegment(requested[index] ?? '');
    });
    return { routeKey: best.route.routeKey, group: best.route.group, pathParameters };
  }
}
