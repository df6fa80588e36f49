/**
 * Breach-to-alarm-metric latency on the local runtime: from the moment an urgent ticket's breach
 * instant is reached on the runtime's clock (POST /_local/clock moves it onto the instant) to the
 * function printing the SlaBreaches EMF line, the line CloudWatch turns into the alarm's metric. The
 * path is the production one: local Scheduler API tick → SLA timers queue → check-sla-breach →
 * clocks recomputed, audit committed → EMF, seen as the runtime prints it.
 */
import { localApi } from './local-api.ts';
import { type LatencySamples, latencySamples } from './stats.ts';

const POLL_MS = 10;
const GIVE_UP_MS = 60_000;
const TAG = 'bench-sla-breach';
const TARGET_MINUTES = 30;
const SETTLE_MS = 1000;
/** The local runtime's timer schedule group (TIMER_SCHEDULE_GROUP in infra/local/runtime.ts). */
const TIMER_GROUP = 'relaydesk-timers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const measureSlaBreachLatency = async (
  baseUrl: string,
  authorization: string,
  nextOutput: (text: string) => Promise<void>,
  /** The runtime's Scheduler API emulator (RELAYDESK_SCHEDULER_PORT), to see the timer exist. */
  schedulerUrl: string,
  tickets: number,
): Promise<LatencySamples> => {
  const call = localApi(baseUrl, authorization);
  const waitFor = async <T>(read: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> => {
    const deadline = Date.now() + GIVE_UP_MS;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error('SLA breach benchmark: gave up waiting');
      await sleep(POLL_MS);
    }
  };

  await call('POST', '/api/v2/slas/policies.json', {
    sla_policy: {
      title: 'Benchmark: urgent first reply',
      filter: { all: [{ field: 'current_tags', operator: 'includes', value: TAG }], any: [] },
      policy_metrics: [
        { priority: 'urgent', metric: 'first_reply_time', target: TARGET_MINUTES, business_hours: false },
      ],
    },
  });
  const requester = (
    await call('POST', '/api/v2/users.json', {
      user: { name: 'Bench Requester', email: 'bench-sla@customer.test' },
    })
  ).user;

  const samplesMs: number[] = [];
  for (let index = 0; index < tickets; index++) {
    const ticket = (
      await call('POST', '/api/v2/tickets.json', {
        ticket: {
          subject: `SLA breach ${index}`,
          priority: 'urgent',
          tags: [TAG],
          requester_id: requester.id,
          comment: { body: 'Down', author_id: requester.id },
        },
      })
    ).ticket;
    // The clock must not move while the ticket's consumers are still at work: a recompute after the
    // jump finds the breach instant past and puts the timer a minute ahead (Scheduler's precision),
    // which would measure that minute instead. So: the default triggers' audit is there, every
    // consumer has had a moment to follow it, and the timer exists.
    await waitFor(
      async () => (await call('GET', `/api/v2/tickets/${ticket.id}/audits.json`)).audits.length,
      (audits) => audits >= 2,
    );
    await sleep(SETTLE_MS);
    await waitFor(
      async () =>
        (await fetch(`${schedulerUrl}/schedules/sla-${ticket.id}-first_reply_time?groupName=${TIMER_GROUP}`))
          .status,
      (status) => status === 200,
    );
    const breached = nextOutput('"SlaBreaches":1');
    const moved = await fetch(`${baseUrl}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance_minutes: TARGET_MINUTES }),
    });
    if (!moved.ok) throw new Error(`POST /_local/clock answered ${moved.status}`);
    const reachedAt = performance.now();
    await Promise.race([
      breached,
      sleep(GIVE_UP_MS).then(() => {
        throw new Error('SLA breach benchmark: no SlaBreaches line');
      }),
    ]);
    samplesMs.push(performance.now() - reachedAt);
  }
  return latencySamples(samplesMs);
};
