/** Reading path and query parameters the way Zendesk clients send them. */
import * as z from 'zod';
import { InvalidRequestError, NotFoundError } from '../domain/errors.ts';
import type { ApiRequest } from './api-request.ts';

const positiveInt = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A numeric record id from the path; anything else names no record (404, as Zendesk answers). */
export const idParam = (request: ApiRequest, name = 'id'): number => {
  const parsed = positiveInt.safeParse(request.pathParameters[name]);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data;
};

/** `ids=1,2,3` (node-zendesk comma-joins arrays). At most 100, as Zendesk's show_many. */
export const idListParam = (request: ApiRequest, name = 'ids'): number[] => {
  const raw = request.query.get(name);
  if (!raw) throw new InvalidRequestError(`${name} is required`);
  const ids = raw
    .split(',')
    .filter(Boolean)
    .map((part) => positiveInt.safeParse(part.trim()));
  if (ids.some((id) => !id.success))
    throw new InvalidRequestError(`${name} must be a comma-separated list of ids`);
  if (ids.length > 100) throw new InvalidRequestError(`${name} accepts at most 100 ids`);
  return [...new Set(ids.map((id) => id.data as number))];
};

/** Parses a request body with a zod schema; a body that does not match is a 422 naming the field. */
export const parseBody = <T>(request: ApiRequest, schema: z.ZodType<T>): T =>
  schema.parse(request.body ?? {});
