/**
 * API Gateway Lambda authorizer (simple responses, no result caching). It always authorizes and hands
 * the resolved identity to the route, which answers 401/403 with Zendesk's bodies; API Gateway's own
 * denial would answer a bare `{"message":"Forbidden"}` that Zendesk clients do not expect.
 */
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import type { AuthorizerContext } from '../../shared/http/caller.ts';
import { authenticate } from '../../shared/use-cases/authenticate.ts';

export const handler = async (
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> => ({
  isAuthorized: true,
  context: await authenticate({
    authorization: event.headers?.authorization,
    onBehalfOf: event.headers?.['x-on-behalf-of'],
  }),
});
