import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as purgeDeletedTickets } from '../../functions/events/purge-deleted-tickets.ts';
import { handler as updateTicketMetrics } from '../../functions/events/update-ticket-metrics.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { apiVia } from '../../shared/domain/tickets/ticket.ts';
import { getTicketMetrics, readAllAudits } from '../../shared/store/tickets/ticket-metrics.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { deleteTicket } from '../../shared/use-cases/tickets/delete-ticket.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';
import { ticketEventRecord } from '../support/sqs-event.ts';

useTestTables();

let agent: User;
let customer: User;
const caller = () => ({ userId: agent.id, role: agent.role, email: agent.email ?? '' });

const message = (detailType: string, detail: Record<string, unknown>, id?: string): SQSRecord =>
  ticketEventRecord(detailType, detail, id ? { id } : {});

const updatedEvent = (ticketId: number, auditId: number) =>
  message('ticket.updated', {
    version: 1,
    ticket_id: ticketId,
    audit_id: auditId,
    author_id: agent.id,
    via: { channel: 'api' },
    created_at: new Date().toISOString(),
    changes: [],
  });

beforeAll(async () => {
  agent = await createUser(
    { name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' },
    '2026-11-25T08:00:00Z',
  );
  customer = await createUser({ name: 'Cy', email: 'cy@customer.test' }, '2026-11-25T08:00:00Z');
});

describe('the ticket-metrics consumer', () => {
  it('computes metrics from the committed history, and a redelivery changes nothing', async () => {
    const { ticket } = await createTicket({
      caller: caller(),
      via: apiVia(),
      now: '2026-11-25T09:00:00.000Z',
      fields: {},
      requester: customer.id,
      comment: { body: 'Broken' },
    });
    const times = ['2026-11-25T09:45:00.000Z', '2026-11-25T11:00:00.000Z'];
    await updateTicket({
      caller: caller(),
      ticketId: ticket.id,
      via: apiVia(),
      now: () => times[0] as string,
      fields: { assignee_id: agent.id },
      comment: { body: 'Fixed it' },
    });
    const solved = await updateTicket({
      caller: caller(),
      ticketId: ticket.id,
      via: apiVia(),
      now: () => times[1] as string,
      fields: { status: 'solved' },
    });

    const event: SQSEvent = { Records: [updatedEvent(ticket.id, solved.audit?.id ?? 0)] };
    expect(
      await asFunction('update-ticket-metrics', () => updateTicketMetrics(event, lambdaContext())),
    ).toEqual({
      batchItemFailures: [],
    });
    const first = await getTicketMetrics(ticket.id);
    expect(first).toMatchObject({
      replies: 1,
      // No schedule: business time is calendar time.
      reply_time_in_minutes: { calendar: 45, business: 45 },
      full_resolution_time_in_minutes: { calendar: 120, business: 120 },
      solved_at: times[1],
      computed_from_audit_id: solved.audit?.id,
    });

    await asFunction('update-ticket-metrics', () => updateTicketMetrics(event, lambdaContext()));
    expect(await getTicketMetrics(ticket.id)).toEqual(first);
  });

  it('reports only the poison message of a batch as failed', async () => {
    const { ticket, audit } = await createTicket({
      caller: caller(),
      via: apiVia(),
      now: new Date().toISOString(),
      fields: {},
      comment: { body: 'x' },
    });
    const poison = message('ticket.updated', { nonsense: true }, 'poison');
    const result = await asFunction('update-ticket-metrics', () =>
      updateTicketMetrics({ Records: [updatedEvent(ticket.id, audit.id), poison] }, lambdaContext()),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
    expect(await getTicketMetrics(ticket.id)).toBeDefined();
  });
});

describe('the purge of deleted tickets', () => {
  it('removes tickets deleted more than 30 days ago, with their history, and keeps newer ones', async () => {
    const old = await createTicket({
      caller: caller(),
      via: apiVia(),
      now: '2026-09-01T00:00:00.000Z',
      fields: {},
      comment: { body: 'old' },
    });
    const recent = await createTicket({
      caller: caller(),
      via: apiVia(),
      now: '2026-11-01T00:00:00.000Z',
      fields: {},
      comment: { body: 'new' },
    });
    await deleteTicket({
      ticketId: old.ticket.id,
      actorId: agent.id,
      via: apiVia(),
      now: '2026-09-02T00:00:00.000Z',
    });
    await deleteTicket({
      ticketId: recent.ticket.id,
      actorId: agent.id,
      via: apiVia(),
      now: '2026-11-20T00:00:00.000Z',
    });

    const result = await asFunction('purge-deleted-tickets', () =>
      purgeDeletedTickets({ time: '2026-11-25T00:00:00Z' }),
    );
    expect(result.purged).toBe(1);
    expect(await getTicket(old.ticket.id)).toBeUndefined();
    expect(await readAllAudits(old.ticket.id)).toEqual([]);
    expect((await getTicket(recent.ticket.id))?.deleted_at).toBe('2026-11-20T00:00:00.000Z');

    expect(
      (await asFunction('purge-deleted-tickets', () => purgeDeletedTickets({ time: '2026-11-25T00:00:00Z' })))
        .purged,
    ).toBe(0);
  });
});
