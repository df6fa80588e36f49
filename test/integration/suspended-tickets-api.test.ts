import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/api/suspended-tickets.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { getSuspendedMail } from '../../shared/store/mail/suspended-mail.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { composeMail, receive } from '../fixtures/mail/inbound-harness.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { validateAgainst } from '../support/openapi.ts';

useTestTables();

let agent: User;
let customer: User;
const asAgent = () => ({ userId: agent.id, role: agent.role });

const suspend = async (options = {}) => {
  const outcome = await receive(composeMail({ from: 'Sam Spam <sam@spam.test>', subject: 'Cheap pills' }), {
    spam: 'FAIL',
    ...options,
  });
  if (outcome.kind !== 'suspended') throw new Error('expected a suspension');
  return outcome.suspendedId;
};

beforeAll(async () => {
  agent = await createUser(
    { name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' },
    '2026-11-25T08:00:00Z',
  );
  customer = await createUser(
    { name: 'Cy', email: 'cy@customer.test', role: 'end-user' },
    '2026-11-25T08:00:00Z',
  );
});

describe('suspended tickets API', () => {
  it('lists and shows suspended mail shaped as Zendesk SuspendedTicketObject', async () => {
    const id = await suspend();
    const list = await callApi(handler, {
      method: 'GET',
      path: '/api/v2/suspended_tickets.json',
      caller: asAgent(),
    });
    expect(list.status).toBe(200);
    const listed = list.body.suspended_tickets.find((entry: { id: number }) => entry.id === id);
    expect(listed).toMatchObject({
      subject: 'Cheap pills',
      cause: 'Detected as spam',
      cause_id: 0,
      author: { email: 'sam@spam.test', name: 'Sam Spam' },
    });
    expect(validateAgainst('SuspendedTicketObject', listed)).toEqual([]);
    const shown = await callApi(handler, {
      method: 'GET',
      path: `/api/v2/suspended_tickets/${id}.json`,
      caller: asAgent(),
    });
    expect(shown.body.suspended_ticket.id).toBe(id);
  });

  it('pages with cursors', async () => {
    await suspend();
    await suspend();
    const page = await callApi(handler, {
      method: 'GET',
      path: '/api/v2/suspended_tickets.json',
      query: { 'page[size]': 1 },
      caller: asAgent(),
    });
    expect(page.body.suspended_tickets).toHaveLength(1);
    expect(page.body.meta.has_more).toBe(true);
  });

  it('recovers a suspended mail into a ticket and removes the record; a second recover is 404', async () => {
    const id = await suspend();
    const recovered = await callApi(handler, {
      method: 'PUT',
      path: `/api/v2/suspended_tickets/${id}/recover.json`,
      caller: asAgent(),
    });
    expect(recovered.status).toBe(200);
    expect(recovered.body.ticket).toMatchObject({ subject: 'Cheap pills' });
    expect(await getSuspendedMail(id)).toBeUndefined();
    const again = await callApi(handler, {
      method: 'PUT',
      path: `/api/v2/suspended_tickets/${id}/recover.json`,
      caller: asAgent(),
    });
    expect(again.status).toBe(404);
  });

  it('refuses to recover mail that still has no single sender, and keeps it', async () => {
    const outcome = await receive('To: support@relaydesk.test\r\nSubject: nobody\r\n\r\nhello\r\n');
    if (outcome.kind !== 'suspended') throw new Error('expected a suspension');
    const recovered = await callApi(handler, {
      method: 'PUT',
      path: `/api/v2/suspended_tickets/${outcome.suspendedId}/recover.json`,
      caller: asAgent(),
    });
    expect(recovered.status).toBe(422);
    expect(await getSuspendedMail(outcome.suspendedId)).toBeDefined();
  });

  it('deletes suspended mail (204, then 404)', async () => {
    const id = await suspend();
    expect(
      (
        await callApi(handler, {
          method: 'DELETE',
          path: `/api/v2/suspended_tickets/${id}.json`,
          caller: asAgent(),
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await callApi(handler, {
          method: 'DELETE',
          path: `/api/v2/suspended_tickets/${id}.json`,
          caller: asAgent(),
        })
      ).status,
    ).toBe(404);
  });

  it('is for staff only', async () => {
    const response = await callApi(handler, {
      method: 'GET',
      path: '/api/v2/suspended_tickets.json',
      caller: { userId: customer.id, role: 'end-user' },
    });
    expect(response.status).toBe(403);
  });
});
