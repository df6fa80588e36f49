/**
 * The API operations the benchmark costs, run in-process through the route-group handlers (as
 * test/support/api-event.ts `callApi` does) and the authorizer, with every DynamoDB call recorded.
 * Import this module only after the environment points at the benchmark tables: the handlers'
 * module-level code (logger, router) reads it at import time.
 */
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { handler as authorize } from '../../functions/api/authorizer.ts';
import { handler as tickets } from '../../functions/api/tickets.ts';
import { handler as users } from '../../functions/api/users.ts';
import { seedAccount } from '../../shared/setup/seed-account.ts';
import { findUserByEmail } from '../../shared/store/directory/users.ts';
import { documentClient } from '../../shared/store/dynamo.ts';
import { type ApiEventInput, callApi, type RouteGroupHandler } from '../support/api-event.ts';
import { type RecordedCall, recordDocumentClient } from './dynamo-recorder.ts';

export interface OperationCalls {
  operation: string;
  calls: RecordedCall[];
}

export interface MeasuredOperations {
  operations: OperationCalls[];
  /** The recorded sequences the raw-latency replay reuses, by operation. */
  createTicket: RecordedCall[];
  showTicket: RecordedCall[];
  listTickets: RecordedCall[];
  authorizeRequest: RecordedCall[];
}

const ADMIN_EMAIL = 'bench-admin@relaydesk.test';
const ADMIN_TOKEN = 'bench-admin-token-in-process';
/** More than one full page, so the list operation reads a page of 100 and learns there is more. */
const TICKETS_BEFORE_LIST = 120;

export const measureOperations = async (): Promise<MeasuredOperations> => {
  await seedAccount({ adminEmail: ADMIN_EMAIL, adminToken: ADMIN_TOKEN });
  const admin = await findUserByEmail(ADMIN_EMAIL);
  if (!admin) throw new Error('the benchmark admin was not seeded');
  const caller = { userId: admin.id, role: admin.role, email: ADMIN_EMAIL };

  const api = async (handler: RouteGroupHandler, input: Omit<ApiEventInput, 'caller'>, expected: number) => {
    const response = await callApi(handler, { ...input, caller });
    if (response.status !== expected) {
      throw new Error(
        `${input.method} ${input.path} answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    }
    return response.body;
  };
  const newTicket = (n: number) => ({
    method: 'POST' as const,
    path: '/api/v2/tickets.json',
    body: { ticket: { subject: `Bench ${n}`, comment: { body: `Benchmark ticket number ${n}.` } } },
  });

  // Warm every code path once (module-level clients, first connections) before anything is measured.
  for (let n = 0; n < TICKETS_BEFORE_LIST; n++) await api(tickets, newTicket(n), 201);

  const recorder = recordDocumentClient(documentClient());
  const operations: OperationCalls[] = [];
  const measure = async <T>(
    operation: string,
    run: () => Promise<T>,
  ): Promise<{ result: T; calls: RecordedCall[] }> => {
    const recorded = await recorder.record(run);
    operations.push({ operation, calls: recorded.calls });
    return recorded;
  };

  const created = await measure('create ticket', () => api(tickets, newTicket(TICKETS_BEFORE_LIST), 201));
  const ticketId = Number(created.result.ticket.id);
  const shown = await measure('show ticket', () =>
    api(tickets, { method: 'GET', path: `/api/v2/tickets/${ticketId}.json` }, 200),
  );
  await measure('update ticket (+ comment)', () =>
    api(
      tickets,
      {
        method: 'PUT',
        path: `/api/v2/tickets/${ticketId}.json`,
        body: { ticket: { comment: { body: 'A reply.' } } },
      },
      200,
    ),
  );
  const listed = await measure('list tickets (page of 100)', () =>
    api(tickets, { method: 'GET', path: '/api/v2/tickets.json', query: { 'page[size]': 100 } }, 200),
  );
  if (listed.result.tickets.length !== 100)
    throw new Error(`the list page held ${listed.result.tickets.length} tickets`);
  const user = await measure('create user', () =>
    api(
      users,
      {
        method: 'POST',
        path: '/api/v2/users.json',
        body: { user: { name: 'Bench User', email: 'bench-user@customer.test' } },
      },
      201,
    ),
  );
  await measure('show user', () =>
    api(users, { method: 'GET', path: `/api/v2/users/${user.result.user.id}.json` }, 200),
  );
  const authorization = `Basic ${Buffer.from(`${ADMIN_EMAIL}/token:${ADMIN_TOKEN}`).toString('base64')}`;
  const authorized = await measure('authorize a request', async () => {
    // The authorizer reads only the headers of its event.
    const decision = await authorize({
      headers: { authorization },
    } as unknown as APIGatewayRequestAuthorizerEventV2);
    if (decision.context.status !== 'authenticated') throw new Error('the benchmark token was not accepted');
    return decision;
  });

  return {
    operations,
    createTicket: created.calls,
    showTicket: shown.calls,
    listTickets: listed.calls,
    authorizeRequest: authorized.calls,
  };
};
