import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as tickets } from '../../functions/api/tickets.ts';
import { handler as checkSlaBreachHandler } from '../../functions/events/check-sla-breach.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import type { SlaTimerFired } from '../../shared/domain/sla/sla-timers.ts';
import { type Audit, apiVia } from '../../shared/domain/tickets/ticket.ts';
import { ticketEventSchemas } from '../../shared/events/ticket-events.ts';
import { ticketEventsFromAudit } from '../../shared/events/ticket-events-from-audit.ts';
import type { OneTimeTimers } from '../../shared/runtime/one-time-timers.ts';
import { listMetricEventsSince } from '../../shared/store/sla/ticket-slas.ts';
import { readAllAudits } from '../../shared/store/tickets/ticket-metrics.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { checkSlaBreach } from '../../shared/use-cases/sla/check-breach.ts';
import { unreportedBreaches } from '../../shared/use-cases/sla/check-breach-reports.ts';
import { createSlaPolicy } from '../../shared/use-cases/sla/manage-sla-policies.ts';
import { refreshTicketSlas } from '../../shared/use-cases/sla/refresh-ticket-slas.ts';
import { slaTimerPort } from '../../shared/use-cases/sla/timer-port.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi, lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { captureEmf } from '../support/emf.ts';
import { asFunction } from '../support/function-grants.ts';
import { UNASSIGNED_TICKET_NULLS, validateAgainst } from '../support/openapi.ts';
import { sqsRecord } from '../support/sqs-event.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

const T0 = Date.parse('2026-02-02T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString().replace('.000Z', 'Z');

let agent: User;
let customer: User;
const ZENDESK_NULLS = { TicketObject: [...UNASSIGNED_TICKET_NULLS] };
const agentCaller = () => ({ userId: agent.id, role: agent.role, email: agent.email ?? '' });

/** The real SLA timer port over timers kept in memory, on the test's clock. */
const timersAt = (minute: () => number) => {
  const scheduled = new Map<string, { at: string; payload: unknown }>();
  const timers: OneTimeTimers = {
    put: async (name, atIso, payload) => {
      scheduled.set(name, { at: atIso, payload });
    },
    delete: async (name) => {
      scheduled.delete(name);
    },
  };
  const port = slaTimerPort({
    timers,
    now: () => Date.parse(at(minute())),
    unreported: async (ticketId) =>
      new Set((await unreportedBreaches(ticketId)).map((breach) => breach.metric)),
  });
  return { port, scheduled };
};

let minute = 0;
let timers: ReturnType<typeof timersAt>;
const emf = captureEmf();

const check = (fired: SlaTimerFired, atMinute: number) => {
  minute = atMinute;
  return asFunction('check-sla-breach', () =>
    checkSlaBreach(fired, { timers: timers.port, now: () => at(atMinute) }),
  );
};

const openUrgentTicket = async () => {
  const { ticket } = await createTicket({
    caller: agentCaller(),
    via: apiVia(),
    now: at(0),
    fields: { priority: 'urgent', subject: 'Checkout is down' },
    requester: customer.id,
    comment: { body: 'Nobody can pay', author_id: customer.id },
  });
  return ticket.id;
};

const firstReplyTimer = (ticketId: number): SlaTimerFired => ({
  ticket_id: ticketId,
  metric: 'first_reply_time',
  breach_at: at(30),
});

const breachAudits = async (ticketId: number): Promise<Audit[]> =>
  (await readAllAudits(ticketId)).filter((audit) => audit.events.some((event) => event.type === 'SlaBreach'));

beforeAll(async () => {
  agent = await createUser({ name: 'Aki', email: 'aki@breach.test', role: 'agent' }, at(-100));
  customer = await createUser({ name: 'Cy', email: 'cy@customer.test' }, at(-100));
  await createSlaPolicy(
    {
      title: 'Urgent business impact',
      filter: { all: [{ field: 'priority', operator: 'is', value: 'urgent' }] },
      policy_metrics: [
        { priority: 'urgent', metric: 'first_reply_time', target: 30 },
        { priority: 'urgent', metric: 'requester_wait_time', target: 120 },
      ],
    },
    at(-50),
  );
});

beforeEach(() => {
  minute = 0;
  timers = timersAt(() => minute);
});

describe('checking a fired SLA timer', () => {
  it('does nothing for a stale timer: the first reply came at minute 29', async () => {
    const ticketId = await openUrgentTicket();
    await updateTicket({
      caller: agentCaller(),
      ticketId,
      via: apiVia(),
      now: () => at(29),
      fields: {},
      comment: { body: 'On it', public: true },
    });

    expect(await check(firstReplyTimer(ticketId), 30)).toEqual({
      result: 'nothing-to-report',
      reason: 'no new breach',
    });
    expect(await breachAudits(ticketId)).toEqual([]);
    expect((await getTicket(ticketId))?.sla_breached).toBe(false);
    // The check counts no breach; the recompute counts the first reply met in time (SlaAchieved).
    expect(emf.lines().map((line) => Object.keys(line).filter((name) => name.startsWith('Sla')))).toEqual([
      ['SlaAchieved'],
    ]);
    // First reply is achieved: only the requester-wait timer is left, at its own instant.
    expect([...timers.scheduled]).toEqual([
      [
        `sla-${ticketId}-requester_wait_time`,
        {
          at: at(120),
          payload: { ticket_id: ticketId, metric: 'requester_wait_time', breach_at: at(120) },
        },
      ],
    ]);
  });

  it('reports a due breach once: metric event, audit setting sla_breached, sla.breached, SlaBreaches', async () => {
    const ticketId = await openUrgentTicket();

    const outcome = await check(firstReplyTimer(ticketId), 30);
    expect(outcome).toMatchObject({ result: 'reported', breaches: [{ metric: 'first_reply_time' }] });

    const { events } = await listMetricEventsSince({ startIso: at(0) }, 100);
    expect(events.filter((event) => event.ticket_id === ticketId && event.type === 'breach')).toMatchObject([
      { metric: 'reply_time', instance_id: 1, time: at(30) },
    ]);

    const [audit, ...more] = await breachAudits(ticketId);
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      author_id: 0,
      created_at: at(30),
      via: { channel: 'system', source: { rel: 'sla_breach' } },
      events: [
        { type: 'Change', field_name: 'sla_breached', value: true, previous_value: false },
        {
          type: 'SlaBreach',
          metric: 'first_reply_time',
          instance_id: 1,
          breach_at: at(30),
          priority: 'urgent',
        },
      ],
    });
    expect((await getTicket(ticketId))?.sla_breached).toBe(true);

    const published = ticketEventsFromAudit(audit as Audit);
    expect(published.map((event) => event.detailType)).toEqual(['ticket.updated', 'sla.breached']);
    const breached = ticketEventSchemas['sla.breached'].parse(published[1]?.detail);
    expect(breached).toMatchObject({ ticket_id: ticketId, metric: 'first_reply_time', priority: 'urgent' });
    expect(ticketEventSchemas['ticket.updated'].parse(published[0]?.detail).changes).toEqual([
      { field: 'sla_breached', previous: false, value: true },
    ]);

    const [line, ...otherLines] = emf.lines();
    expect(otherLines).toEqual([]);
    expect(line).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Relaydesk',
            Dimensions: [['service', 'metric', 'priority']],
            Metrics: [{ Name: 'SlaBreaches', Unit: 'Count' }],
          },
        ],
      },
      service: 'relaydesk',
      metric: 'first_reply_time',
      priority: 'urgent',
      SlaBreaches: 1,
    });

    // Reported, so the breached (still running) clock needs no timer; requester wait keeps its own.
    expect([...timers.scheduled.keys()]).toEqual([`sla-${ticketId}-requester_wait_time`]);
  });

  it('changes nothing when the timer is delivered again', async () => {
    const ticketId = await openUrgentTicket();
    await check(firstReplyTimer(ticketId), 30);
    const audits = await readAllAudits(ticketId);
    emf.clear();

    expect(await check(firstReplyTimer(ticketId), 31)).toEqual({
      result: 'nothing-to-report',
      reason: 'no new breach',
    });
    expect(await readAllAudits(ticketId)).toEqual(audits);
    expect(emf.lines()).toEqual([]);
  });

  it('keeps a timer for a breach the clocks found before any timer fired, until it is reported', async () => {
    const ticketId = await openUrgentTicket();
    // The SLA consumer recomputes at minute 31 (a ticket change): the breach is recorded, not reported.
    minute = 31;
    await asFunction('update-ticket-slas', () =>
      refreshTicketSlas(ticketId, { timers: timers.port, now: () => at(31) }),
    );
    expect(timers.scheduled.get(`sla-${ticketId}-first_reply_time`)?.at).toBe(at(30));
    expect(await breachAudits(ticketId)).toEqual([]);

    await check(firstReplyTimer(ticketId), 32);
    expect(await breachAudits(ticketId)).toHaveLength(1);
    minute = 33;
    await asFunction('update-ticket-slas', () =>
      refreshTicketSlas(ticketId, { timers: timers.port, now: () => at(33) }),
    );
    expect(timers.scheduled.has(`sla-${ticketId}-first_reply_time`)).toBe(false);
  });

  it('shows sla_breached on the ticket through the API', async () => {
    const ticketId = await openUrgentTicket();
    await check(firstReplyTimer(ticketId), 30);
    const response = await callApi(tickets, {
      method: 'GET',
      path: `/api/v2/tickets/${ticketId}.json`,
      caller: agentCaller(),
    });
    expect(response.status).toBe(200);
    expect(response.body.ticket.sla_breached).toBe(true);
    expect(validateAgainst('TicketResponse', response.body, { nullable: ZENDESK_NULLS })).toEqual([]);
  });
});

describe('the check-sla-breach consumer', () => {
  it('checks each fired timer and fails only the message that is no SlaTimerFired', async () => {
    const ticketId = await openUrgentTicket();
    const fired = sqsRecord(JSON.stringify(firstReplyTimer(ticketId)), 'fired');
    const poison = sqsRecord(JSON.stringify({ ticket_id: 'seven' }), 'poison');
    expect(
      await asFunction('check-sla-breach', () =>
        checkSlaBreachHandler({ Records: [fired, poison] }, lambdaContext()),
      ),
    ).toEqual({
      batchItemFailures: [{ itemIdentifier: 'poison' }],
    });
    // The handler runs on the real clock, long after minute 30 of 2026-02-02: the breach is reported.
    expect((await getTicket(ticketId))?.sla_breached).toBe(true);
  });
});
