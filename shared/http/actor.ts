/** The authenticated caller of a route that declares roles (the route group has already checked them). */
import type { ApiRequest } from './api-request.ts';
import type { Caller } from './caller.ts';
import { AuthenticationError } from './error-response.ts';

export const callerOf = (request: ApiRequest): Caller => {
  if (!request.caller) throw new AuthenticationError();
  return request.caller;
};
