import { beforeAll, describe, expect, it } from 'vitest';
import { handler as slas } from '../../functions/api/slas.ts';
import { handler as tickets } from '../../functions/api/tickets.ts';
import { handler as updateTicketSlas } from '../../functions/events/update-ticket-slas.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import type { TicketMetricEvent } from '../../shared/domain/sla/sla-metric-events.ts';
import type { SlaTimer, SlaTimerPort } from '../../shared/domain/sla/sla-timers.ts';
import { apiVia, type TicketPriority, type TicketStatus } from '../../shared/domain/tickets/ticket.ts';
import {
  getTicketSlaState,
  putMetricEvents,
  storedMetricEvents,
} from '../../shared/store/sla/ticket-slas.ts';
import { createSchedule } from '../../shared/use-cases/business-hours/manage-schedules.ts';
import { createSlaPolicy } from '../../shared/use-cases/sla/manage-sla-policies.ts';
import { refreshTicketSlas } from '../../shared/use-cases/sla/refresh-ticket-slas.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi, lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { captureEmf } from '../support/emf.ts';
import { asFunction } from '../support/function-grants.ts';
import { validateAgainst } from '../support/openapi.ts';
import { ticketEventRecord } from '../support/sqs-event.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

const T0 = Date.parse('2026-02-02T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString().replace('.000Z', 'Z');

let admin: User;
let agent: User;
let customer: User;
const agentCaller = () => ({ userId: agent.id, role: agent.role, email: agent.email ?? '' });

/** Records every sync, as the breach-timer adapter would receive it. */
const recordingPort = () => {
  const calls: { ticketId: number; running: SlaTimer[] }[] = [];
  const port: SlaTimerPort = {
    syncTimers: async (ticketId, running) => {
      calls.push({ ticketId, running: [...running] });
    },
  };
  return { port, calls, last: () => calls.at(-1)?.running ?? [] };
};

const refreshAt = (ticketId: number, minute: number, port: SlaTimerPort) =>
  asFunction('update-ticket-slas', () =>
    refreshTicketSlas(ticketId, { timers: port, now: () => at(minute) }),
  );

const openUrgentTicket = async (minute = 0, priority: TicketPriority = 'urgent') => {
  const { ticket } = await createTicket({
    caller: agentCaller(),
    via: apiVia(),
    now: at(minute),
    fields: { priority, subject: 'Checkout is down' },
    requester: customer.id,
    comment: { body: 'Nobody can pay', author_id: customer.id },
  });
  return ticket.id;
};

const change = (
  ticketId: number,
  minute: number,
  input: { status?: TicketStatus; priority?: TicketPriority; reply?: string },
) =>
  updateTicket({
    caller: agentCaller(),
    ticketId,
    via: apiVia(),
    now: () => at(minute),
    fields: {
      // Zendesk solves only assigned tickets.
      ...(input.status ? { status: input.status, assignee_id: agent.id } : {}),
      ...(input.priority ? { priority: input.priority } : {}),
    },
    ...(input.reply ? { comment: { body: input.reply, public: true } } : {}),
  });

const metricState = async (ticketId: number, metric: string) =>
  (await getTicketSlaState(ticketId))?.policy_metrics.find((state) => state.metric === metric);

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@clocks.test', role: 'admin' }, at(-100));
  agent = await createUser({ name: 'Aki', email: 'aki@clocks.test', role: 'agent' }, at(-100));
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
  await createSlaPolicy(
    {
      title: 'Everything else',
      filter: { all: [] },
      policy_metrics: [
        { priority: 'normal', metric: 'first_reply_time', target: 240 },
        { priority: 'urgent', metric: 'first_reply_time', target: 999 },
      ],
    },
    at(-50),
  );
});

const emf = captureEmf();

describe('SLA clocks on a ticket', () => {
  it('runs first reply for 30 minutes on an urgent ticket and achieves it with a reply at minute 29', async () => {
    const ticketId = await openUrgentTicket();
    const timers = recordingPort();
    await refreshAt(ticketId, 1, timers.port);
    expect(await getTicketSlaState(ticketId)).toMatchObject({
      policy: { title: 'Urgent business impact' },
      policy_metrics: [
        { metric: 'first_reply_time', stage: 'active', breach_at: at(30), target: 30 },
        { metric: 'requester_wait_time', stage: 'active', breach_at: at(120), target: 120 },
      ],
    });
    expect(timers.last()).toEqual([
      { ticket_id: ticketId, metric: 'first_reply_time', breach_at: at(30) },
      { ticket_id: ticketId, metric: 'requester_wait_time', breach_at: at(120) },
    ]);

    await change(ticketId, 29, { reply: 'Looking into it' });
    emf.clear();
    await refreshAt(ticketId, 29, timers.port);
    // Met in time: one SlaAchieved for the dashboard's achieved rate, and none again on a recompute.
    await refreshAt(ticketId, 29, timers.port);
    expect(emf.lines().filter((line) => 'SlaAchieved' in line)).toEqual([
      expect.objectContaining({ metric: 'first_reply_time' }),
    ]);
    expect(await metricState(ticketId, 'first_reply_time')).toMatchObject({
      stage: 'achieved',
      breached: false,
    });
    expect(timers.last()).toEqual([
      { ticket_id: ticketId, metric: 'requester_wait_time', breach_at: at(120) },
    ]);
    const events = await storedMetricEvents(ticketId);
    expect(events.filter((event) => event.type === 'breach')).toEqual([]);
    expect(events.filter((event) => event.type === 'fulfill')).toHaveLength(1);
  });

  it('records the breach of an unanswered ticket once its instant has passed', async () => {
    const ticketId = await openUrgentTicket();
    const timers = recordingPort();
    await refreshAt(ticketId, 31, timers.port);
    expect(await metricState(ticketId, 'first_reply_time')).toMatchObject({
      stage: 'active',
      breach_at: at(30),
      breached: true,
    });
    expect((await storedMetricEvents(ticketId)).filter((event) => event.type === 'breach')).toHaveLength(1);
  });

  it('pauses requester wait while pending, moves breach_at by the pause on resume, and resumes after a reopen', async () => {
    const ticketId = await openUrgentTicket();
    const timers = recordingPort();
    await change(ticketId, 10, { status: 'pending', reply: 'Which card?' });
    await refreshAt(ticketId, 11, timers.port);
    expect(await metricState(ticketId, 'requester_wait_time')).toMatchObject({
      stage: 'paused',
      breach_at: null,
    });
    expect(timers.last()).toEqual([]);

    await change(ticketId, 70, { status: 'open' });
    await refreshAt(ticketId, 71, timers.port);
    expect(await metricState(ticketId, 'requester_wait_time')).toMatchObject({
      stage: 'active',
      breach_at: at(180),
    });

    await change(ticketId, 80, { status: 'solved' });
    await refreshAt(ticketId, 81, timers.port);
    expect(await metricState(ticketId, 'requester_wait_time')).toMatchObject({ stage: 'achieved' });
    expect(timers.last()).toEqual([]);

    await change(ticketId, 100, { status: 'open' });
    await refreshAt(ticketId, 101, timers.port);
    expect(await metricState(ticketId, 'requester_wait_time')).toMatchObject({
      stage: 'active',
      breach_at: at(200),
    });
    expect(timers.last()).toEqual([
      { ticket_id: ticketId, metric: 'requester_wait_time', breach_at: at(200) },
    ]);
  });

  it('re-targets the running clocks when a priority change selects another policy', async () => {
    const ticketId = await openUrgentTicket();
    const timers = recordingPort();
    await refreshAt(ticketId, 1, timers.port);
    await change(ticketId, 10, { priority: 'normal' });
    await refreshAt(ticketId, 11, timers.port);
    expect(await getTicketSlaState(ticketId)).toMatchObject({
      policy: { title: 'Everything else' },
      policy_metrics: [{ metric: 'first_reply_time', target: 240, breach_at: at(240) }],
    });
    expect(timers.last()).toEqual([{ ticket_id: ticketId, metric: 'first_reply_time', breach_at: at(240) }]);
  });

  it('shows the clocks with include=slas on show and list', async () => {
    const ticketId = await openUrgentTicket();
    await refreshAt(ticketId, 1, recordingPort().port);
    const shown = await callApi(tickets, {
      method: 'GET',
      path: `/api/v2/tickets/${ticketId}.json?include=slas`,
      caller: agentCaller(),
    });
    const slaMetrics = shown.body.ticket.slas.policy_metrics;
    expect(slaMetrics[0]).toMatchObject({ metric: 'first_reply_time', stage: 'active', breach_at: at(30) });
    expect(Object.keys(slaMetrics[0]).sort()).toEqual([
      'breach_at',
      'days',
      'hours',
      'metric',
      'minutes',
      'stage',
    ]);
    const listed = await callApi(tickets, {
      method: 'GET',
      path: '/api/v2/tickets.json?include=slas',
      caller: agentCaller(),
    });
    const listedTicket = listed.body.tickets.find((ticket: { id: number }) => ticket.id === ticketId);
    expect(listedTicket.slas).toEqual(shown.body.ticket.slas);
    const plain = await callApi(tickets, {
      method: 'GET',
      path: `/api/v2/tickets/${ticketId}.json`,
      caller: agentCaller(),
    });
    expect(plain.body.ticket.slas).toBeUndefined();
  });
});

describe('business-hours targets', () => {
  it("run on the account's default schedule: opened Friday 16:30, a 60-minute target breaches Monday 09:30", async () => {
    // The first schedule is the account default; new schedules start Mon–Fri 09:00–17:00.
    await createSchedule({ name: 'Office', time_zone: 'UTC' }, at(-10));
    await createSlaPolicy(
      {
        title: 'High in office hours',
        position: 1,
        filter: { all: [{ field: 'priority', operator: 'is', value: 'high' }] },
        policy_metrics: [{ priority: 'high', metric: 'first_reply_time', target: 60, business_hours: true }],
      },
      at(-10),
    );
    const friday = Date.parse('2026-02-06T16:30:00Z');
    const minutesAfterT0 = (friday - T0) / 60_000;
    const ticketId = await openUrgentTicket(minutesAfterT0, 'high');
    const timers = recordingPort();
    await refreshAt(ticketId, minutesAfterT0 + 1, timers.port);
    expect(await metricState(ticketId, 'first_reply_time')).toMatchObject({
      stage: 'active',
      business_hours: true,
      breach_at: '2026-02-09T09:30:00Z',
    });
    expect(timers.last()).toEqual([
      { ticket_id: ticketId, metric: 'first_reply_time', breach_at: '2026-02-09T09:30:00Z' },
    ]);
  });
});

describe('the update-ticket-slas consumer', () => {
  it('writes nothing new when an event is redelivered', async () => {
    const ticketId = await openUrgentTicket(-5);
    const record = ticketEventRecord('ticket.created', {
      version: 1,
      ticket_id: ticketId,
      audit_id: 1,
      author_id: customer.id,
      via: { channel: 'api' },
      created_at: at(-5),
      changes: [],
    });
    expect(
      await asFunction('update-ticket-slas', () => updateTicketSlas({ Records: [record] }, lambdaContext())),
    ).toEqual({ batchItemFailures: [] });
    const events = await storedMetricEvents(ticketId);
    expect(events.length).toBeGreaterThan(0);
    expect(
      await asFunction('update-ticket-slas', () => updateTicketSlas({ Records: [record] }, lambdaContext())),
    ).toEqual({ batchItemFailures: [] });
    expect(await storedMetricEvents(ticketId)).toEqual(events);
  });

  it('fails only the poison message of a batch', async () => {
    const ticketId = await openUrgentTicket(-5);
    const good = ticketEventRecord('ticket.updated', {
      version: 1,
      ticket_id: ticketId,
      audit_id: 1,
      author_id: agent.id,
      via: { channel: 'api' },
      created_at: at(-5),
      changes: [],
    });
    const poison = ticketEventRecord('ticket.updated', { nonsense: true }, { id: 'poison' });
    expect(
      await asFunction('update-ticket-slas', () =>
        updateTicketSlas({ Records: [good, poison] }, lambdaContext()),
      ),
    ).toEqual({
      batchItemFailures: [{ itemIdentifier: 'poison' }],
    });
    expect(await getTicketSlaState(ticketId)).toBeDefined();
  });
});

describe('the ticket metric events export', () => {
  const synthetic = (index: number): TicketMetricEvent => ({
    id: 900_000_000 + index,
    ticket_id: 424_242,
    metric: 'reply_time',
    instance_id: 1,
    type: 'activate',
    // 150 events, three per second, from 2030-01-01.
    time: new Date(Date.parse('2030-01-01T00:00:00Z') + Math.floor(index / 3) * 1000)
      .toISOString()
      .replace('.000Z', 'Z'),
  });
  const start = Date.parse('2030-01-01T00:00:00Z') / 1000;

  it('pages through events in time order, 100 at a time, without repeats', async () => {
    await putMetricEvents(Array.from({ length: 150 }, (_, index) => synthetic(index)));
    const first = await callApi(slas, {
      method: 'GET',
      path: `/api/v2/incremental/ticket_metric_events.json?start_time=${start}`,
      caller: { userId: admin.id, role: admin.role },
    });
    expect(first.status).toBe(200);
    expect(validateAgainst('TicketMetricEventsResponse', first.body)).toEqual([]);
    expect(first.body.count).toBe(100);
    expect(first.body.end_time).toBe(start + 33);
    expect(first.body.next_page).toMatch(
      /^https:\/\/help\.example\.test\/api\/v2\/incremental\/ticket_metric_events\.json\?start_time=\d+&cursor=/,
    );
    const nextUrl = new URL(first.body.next_page);
    const second = await callApi(slas, {
      method: 'GET',
      path: `/api/v2/incremental/ticket_metric_events.json${nextUrl.search}`,
      caller: { userId: admin.id, role: admin.role },
    });
    expect(second.body.count).toBe(50);
    expect(second.body.next_page).toBeNull();
    const ids = [...first.body.ticket_metric_events, ...second.body.ticket_metric_events].map(
      (event: TicketMetricEvent) => event.id,
    );
    expect(ids).toEqual(Array.from({ length: 150 }, (_, index) => 900_000_000 + index));
  });

  it('returns the events of real tickets from their start time, and only to admins', async () => {
    const ticketId = await openUrgentTicket(0);
    await refreshAt(ticketId, 1, recordingPort().port);
    const response = await callApi(slas, {
      method: 'GET',
      path: `/api/v2/incremental/ticket_metric_events.json?start_time=${T0 / 1000}`,
      caller: { userId: admin.id, role: admin.role },
    });
    expect(response.body.ticket_metric_events).toContainEqual(
      expect.objectContaining({
        ticket_id: ticketId,
        metric: 'reply_time',
        type: 'apply_sla',
        sla: expect.objectContaining({ target: 30 }),
      }),
    );
    const forbidden = await callApi(slas, {
      method: 'GET',
      path: `/api/v2/incremental/ticket_metric_events.json?start_time=${T0 / 1000}`,
      caller: agentCaller(),
    });
    expect(forbidden.status).toBe(403);
    const missing = await callApi(slas, {
      method: 'GET',
      path: '/api/v2/incremental/ticket_metric_events.json',
      caller: { userId: admin.id, role: admin.role },
    });
    expect(missing.status).toBe(400);
  });
});
