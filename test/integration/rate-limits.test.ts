import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as users } from '../../functions/api/users.ts';
import type { AuthorizerContext } from '../../shared/http/caller.ts';
import { createApiToken } from '../../shared/store/directory/api-tokens.ts';
import { authenticate } from '../../shared/use-cases/authenticate.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { apiEvent, lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();

const MINUTE = Date.UTC(2026, 10, 25, 10, 0, 0);
let authorization: string;

beforeAll(async () => {
  process.env.RATE_LIMIT_PER_MINUTE = '2';
  await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, '2026-11-25T09:00:00Z');
  const { token } = await createApiToken({
    description: 'test',
    createdBy: null,
    now: '2026-11-25T09:00:00Z',
  });
  authorization = `Basic ${Buffer.from(`ada@relaydesk.test/token:${token}`).toString('base64')}`;
});

afterAll(() => {
  delete process.env.RATE_LIMIT_PER_MINUTE;
});

describe('API rate limits', () => {
  it('counts requests per user and minute and refuses those over the limit until the next minute', async () => {
    const first = await authenticate({ authorization }, MINUTE + 1_000);
    const second = await authenticate({ authorization }, MINUTE + 2_000);
    const third = await authenticate({ authorization }, MINUTE + 45_000);
    expect(first).toMatchObject({ status: 'authenticated', rateLimit: 2, rateLimitRemaining: 1 });
    expect(second).toMatchObject({ status: 'authenticated', rateLimitRemaining: 0 });
    expect(third).toEqual({ status: 'rate_limited', rateLimit: 2, retryAfterSeconds: 15 });
    expect(await authenticate({ authorization }, MINUTE + 61_000)).toMatchObject({ status: 'authenticated' });
  });

  it('answers 429 with Retry-After (and only then), and sends the budget on other responses', async () => {
    const call = (context: AuthorizerContext) => {
      const event = apiEvent({ method: 'GET', path: '/api/v2/users/me.json' });
      event.requestContext.authorizer = { lambda: context };
      return users(event, lambdaContext());
    };
    const limited = await call({ status: 'rate_limited', rateLimit: 2, retryAfterSeconds: 15 });
    expect(limited.statusCode, String(limited.body)).toBe(429);
    expect(limited.headers).toMatchObject({
      'Retry-After': '15',
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(JSON.parse(String(limited.body))).toMatchObject({ error: 'TooManyRequests' });

    const context = await authenticate({ authorization }, Date.now());
    const allowed = await call(context);
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers).toMatchObject({ 'X-Rate-Limit': '2' });
    expect(allowed.headers).not.toHaveProperty('Retry-After');
  });
});
