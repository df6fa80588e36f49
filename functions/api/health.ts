/** `GET /healthz`: answers once the function (and, locally, the whole runtime) is up. */
import { ok } from '../../shared/http/api-request.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';

export const handler = createRouteGroupHandler('health', {
  'GET /healthz': async () => ok({ status: 'ok' }),
});
