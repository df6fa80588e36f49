/**
 * The caller identity the authorizer resolves and API Gateway injects into every route's event
 * (`requestContext.authorizer.lambda`). HTTP API authorizer contexts hold only flat scalars, hence the
 * flat shape. Routes never authenticate on their own; they trust this context and check roles.
 */
import type { Role } from '../../infra/topology.ts';

export type AuthorizerContext =
  | {
      status: 'authenticated';
      userId: number;
      role: Role;
      email: string;
      rateLimit: number;
      rateLimitRemaining: number;
    }
  | { status: 'rate_limited'; rateLimit: number; retryAfterSeconds: number }
  | { status: 'anonymous' }
  | { status: 'rejected'; reason: 'invalid_credentials' | 'on_behalf_of_forbidden' };

export interface Caller {
  userId: number;
  role: Role;
  email: string;
}
