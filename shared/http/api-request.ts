/** What a route implementation receives and returns: transport details already taken care of. */
import type { Caller } from './caller.ts';

export interface ApiRequest {
  /** The authenticated caller; undefined only on anonymous routes called without credentials. */
  caller: Caller | undefined;
  /** The route path as requested, normalised (no `.json`, no doubled slashes), for building links. */
  path: string;
  pathParameters: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The parsed JSON body (form-encoded: a record of strings), or undefined when the request had none. */
  body: unknown;
  headers: Readonly<Record<string, string | undefined>>;
  /** Base for absolute URLs in responses (`url`, `links.next`, `next_page`). */
  publicUrl: string;
}

export interface ApiResult {
  statusCode: number;
  /** Serialised as JSON; omitted for 204. */
  body?: unknown;
  /** Bytes sent as they are (attachments, raw mail) instead of a JSON body; `headers` name their type. */
  rawBody?: Buffer;
  headers?: Record<string, string>;
}

export type RouteImplementation = (request: ApiRequest) => Promise<ApiResult>;

export const ok = (body: unknown): ApiResult => ({ statusCode: 200, body });
export const created = (body: unknown, location?: string): ApiResult => ({
  statusCode: 201,
  body,
  ...(location ? { headers: { Location: location } } : {}),
});
export const noContent = (): ApiResult => ({ statusCode: 204 });
