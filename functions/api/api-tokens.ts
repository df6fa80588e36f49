/**
 * The `api-tokens` route group (admins only). A token is shown once, in the creation response; lists
 * show only its last four characters. Revoking deletes the hash claim the authorizer reads, so the
 * token stops working on the next request.
 */

import { nowTimestamp } from '../../shared/domain/clock.ts';
import { callerOf } from '../../shared/http/actor.ts';
import { type ApiRequest, created, noContent, ok } from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { apiTokenBody } from '../../shared/http/schemas/directory-input.ts';
import {
  type ApiToken,
  createApiToken,
  listApiTokens,
  revokeApiToken,
} from '../../shared/store/directory/api-tokens.ts';

const tokenUrl = (request: ApiRequest, id: number) => `${request.publicUrl}/api/v2/api_tokens/${id}.json`;

const serializeApiToken = (request: ApiRequest) => (apiToken: ApiToken) => ({
  id: apiToken.id,
  url: tokenUrl(request, apiToken.id),
  description: apiToken.description,
  token_hint: apiToken.token_hint,
  created_at: apiToken.created_at,
});

export const handler = createRouteGroupHandler('api-tokens', {
  'GET /api/v2/api_tokens': async (request) =>
    ok(
      pageEnvelope(
        request,
        'api_tokens',
        await listApiTokens(pageRequestOf(request)),
        serializeApiToken(request),
      ),
    ),

  'POST /api/v2/api_tokens': async (request) => {
    const { api_token: input } = parseBody(request, apiTokenBody);
    const { apiToken, token } = await createApiToken({
      description: input.description,
      createdBy: callerOf(request).userId,
      now: nowTimestamp(),
    });
    return created({
      api_token: {
        id: apiToken.id,
        url: tokenUrl(request, apiToken.id),
        description: apiToken.description,
        token,
        token_hint: apiToken.token_hint,
        created_at: apiToken.created_at,
      },
    });
  },

  'DELETE /api/v2/api_tokens/{id}': async (request) => {
    await revokeApiToken(idParam(request));
    return noContent();
  },
});
