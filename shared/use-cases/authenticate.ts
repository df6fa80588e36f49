/**
 * Who is calling: resolves Zendesk-style API token credentials (`Basic base64(email/token:TOKEN)`) and
 * `X-On-Behalf-Of` into the identity every route receives. Runs in the API's Lambda authorizer.
 *
 * Primary course: 1. no Authorization header → anonymous (routes decide whether that is enough);
 * 2. decode the Basic credentials; 3. the token must be an active account token; 4. the email must
 * name an active, unsuspended user; 5. an admin may act as an end-user named by X-On-Behalf-Of;
 * 6. the signed-in user (not the impersonated one) has requests left this minute, else 429.
 */
import type { User } from '../domain/directory/user.ts';
import type { AuthorizerContext } from '../http/caller.ts';
import { isActiveToken } from '../store/directory/api-tokens.ts';
import { countRequest } from '../store/directory/rate-limits.ts';
import { findUserByEmail, getUser } from '../store/directory/users.ts';

const REJECTED: AuthorizerContext = { status: 'rejected', reason: 'invalid_credentials' };

export const parseTokenCredentials = (
  authorization: string,
): { email: string; token: string } | undefined => {
  const match = /^Basic\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  const username = decoded.slice(0, separator);
  const token = decoded.slice(separator + 1);
  if (!username.endsWith('/token') || !token) return undefined;
  return { email: username.slice(0, -'/token'.length), token };
};

const canSignIn = (user: User | undefined): user is User => user?.active === true && !user.suspended;

/** Zendesk's default account limit; RATE_LIMIT_PER_MINUTE overrides it (e.g. for benchmarks). */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 700;

const rateLimitPerMinute = (): number => {
  const configured = Number(process.env.RATE_LIMIT_PER_MINUTE);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_RATE_LIMIT_PER_MINUTE;
};

const authenticated = async (signedIn: User, actingAs: User, nowMs: number): Promise<AuthorizerContext> => {
  const decision = await countRequest(signedIn.id, rateLimitPerMinute(), nowMs);
  if (!decision.allowed) {
    return { status: 'rate_limited', rateLimit: decision.limit, retryAfterSeconds: decision.resetSeconds };
  }
  return {
    status: 'authenticated',
    userId: actingAs.id,
    role: actingAs.role,
    email: actingAs.email ?? '',
    rateLimit: decision.limit,
    rateLimitRemaining: decision.remaining,
  };
};

const findOnBehalfOf = (value: string): Promise<User | undefined> =>
  /^\d+$/.test(value) ? getUser(Number(value)) : findUserByEmail(value);

export const authenticate = async (
  headers: { authorization?: string | undefined; onBehalfOf?: string | undefined },
  nowMs = Date.now(),
): Promise<AuthorizerContext> => {
  if (!headers.authorization) return { status: 'anonymous' };
  const credentials = parseTokenCredentials(headers.authorization);
  if (!credentials) return REJECTED;
  const [tokenValid, user] = await Promise.all([
    isActiveToken(credentials.token),
    findUserByEmail(credentials.email),
  ]);
  if (!tokenValid || !canSignIn(user)) return REJECTED;

  const onBehalfOf = headers.onBehalfOf?.trim();
  if (!onBehalfOf) return authenticated(user, user, nowMs);
  // Only admins may impersonate, and only end-users (Zendesk's rule for X-On-Behalf-Of).
  const target = user.role === 'admin' ? await findOnBehalfOf(onBehalfOf) : undefined;
  if (!canSignIn(target) || target.role !== 'end-user')
    return { status: 'rejected', reason: 'on_behalf_of_forbidden' };
  return authenticated(user, target, nowMs);
};
