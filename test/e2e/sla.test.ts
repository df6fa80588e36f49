/**
 * End to end: SLA breach timers in the local runtime without waiting. An urgent ticket opened through
 * node-zendesk under a 30-minute first-reply policy (calendar hours) breaches once the local clock
 * moves 31 minutes: the timer set in the local Scheduler API fires onto the SLA timers queue, the
 * check writes the breach audit, sets sla_breached and records the breach metric event. A ticket
 * answered at minute 29 achieves its target and never breaches.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, useLocalRuntime } from '../support/e2e-runtime.ts';
import type { Loose } from '../support/zendesk-client.ts';

const ADMIN_EMAIL = 'admin@relaydesk-sla.test';
const ADMIN_TOKEN = 'e2e-sla-token-0123456789abcdef';

const local = useLocalRuntime({ email: ADMIN_EMAIL, token: ADMIN_TOKEN });
/** What the runtime's pipeline (queues, stream poller, consumers) may take, in real time. */
const SETTLE_MS = 60_000;

let requester: Loose;

const authorization = `Basic ${Buffer.from(`${ADMIN_EMAIL}/token:${ADMIN_TOKEN}`).toString('base64')}`;

const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${local.runtime().apiUrl}${path}`, {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Loose };
};

/** Polls until `read` gives something `done` accepts; the pipeline is asynchronous, the clock is not. */
const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

const slasOf = async (ticketId: number): Promise<Loose> =>
  (await api('GET', `/tickets/${ticketId}.json?include=slas`)).body.ticket.slas;

const openUrgentTicket = async (subject: string) => {
  const ticket = (
    await local.client().tickets.create({
      ticket: {
        subject,
        priority: 'urgent',
        requester_id: requester.id,
        comment: { body: 'Nobody can pay', author_id: requester.id },
      },
    })
  ).result;
  // The SLA consumer has applied the policy and set the first-reply timer.
  const slas = await eventually(
    () => slasOf(ticket.id),
    (value) => value?.policy_metrics?.some((metric: Loose) => metric.metric === 'first_reply_time'),
  );
  expect(slas.policy_metrics).toEqual([
    expect.objectContaining({ metric: 'first_reply_time', stage: 'active', minutes: 30 }),
  ]);
  return ticket;
};

const metricEventsOf = async (ticketId: number): Promise<Loose[]> =>
  (await api('GET', '/incremental/ticket_metric_events.json?start_time=0')).body.ticket_metric_events.filter(
    (event: Loose) => event.ticket_id === ticketId,
  );

beforeAll(async () => {
  requester = (
    await local.client().users.create({ user: { name: 'Rita Requester', email: 'rita@customer-sla.test' } })
  ).result;
  const policy = await api('POST', '/slas/policies.json', {
    sla_policy: {
      title: 'Urgent business impact',
      filter: { all: [{ field: 'priority', operator: 'is', value: 'urgent' }], any: [] },
      policy_metrics: [{ priority: 'urgent', metric: 'first_reply_time', target: 30, business_hours: false }],
    },
  });
  expect(policy.status).toBe(201);
});

describe('SLA breach timers', () => {
  it('breach an urgent ticket nobody answered within 30 minutes, and leave one answered at minute 29 achieved', async () => {
    const answered = await openUrgentTicket('Refund stuck');
    const ignored = await openUrgentTicket('Checkout is down');

    await advanceClock(local.runtime(), 29);
    await local
      .client()
      .tickets.update(answered.id, { ticket: { comment: { body: 'Looking into it', public: true } } });
    await eventually(
      () => slasOf(answered.id),
      (slas) => slas.policy_metrics[0]?.stage === 'achieved',
    );
    await advanceClock(local.runtime(), 2);

    const breached = await eventually(
      async () => (await local.client().tickets.show(ignored.id)).result,
      (ticket) => ticket.sla_breached === true,
    );
    expect(breached.sla_breached).toBe(true);

    const audits: Loose[] = await local.client().tickets.exportAudit(ignored.id);
    const breachAudits = audits.filter((audit) => audit.via?.source?.rel === 'sla_breach');
    expect(breachAudits).toHaveLength(1);
    expect(breachAudits[0].events).toEqual([
      expect.objectContaining({
        type: 'Change',
        field_name: 'sla_breached',
        value: true,
        previous_value: false,
      }),
      expect.objectContaining({ type: 'SlaBreach', metric: 'first_reply_time', priority: 'urgent' }),
    ]);
    expect(
      (await metricEventsOf(ignored.id)).filter((event) => event.type === 'breach' && !event.deleted),
    ).toEqual([expect.objectContaining({ metric: 'reply_time', instance_id: 1 })]);
    // The EMF line operators alarm on, printed by the check's function.
    expect(local.runtime().output()).toMatch(/"SlaBreaches":1/);

    expect((await local.client().tickets.show(answered.id)).result.sla_breached).toBe(false);
    expect((await metricEventsOf(answered.id)).map((event) => event.type)).not.toContain('breach');
    expect(
      (await local.client().tickets.exportAudit(answered.id)).some(
        (audit: Loose) => audit.via?.source?.rel === 'sla_breach',
      ),
    ).toBe(false);
  });
});
