import { describe, expect, it } from 'vitest';
import {
  type BusinessClock,
  calendarOnly,
  type TicketClocks,
} from '../../shared/domain/sla/business-clock.ts';
import { computeSlaClocks } from '../../shared/domain/sla/sla-clocks.ts';
import type { PolicyMetric, SlaPolicy } from '../../shared/domain/sla/sla-policy.ts';
import type { SlaMetric } from '../../shared/domain/sla/sla-timers.ts';
import type { TicketSnapshot } from '../../shared/domain/sla/ticket-snapshots.ts';
import {
  type Audit,
  type AuditEvent,
  apiVia,
  type TicketPriority,
} from '../../shared/domain/tickets/ticket.ts';

const AGENT = 10;
const REQUESTER = 20;
const START = Date.parse('2026-03-02T09:00:00Z');
/** The instant `minutes` after the ticket was created. */
const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString().replace('.000Z', 'Z');

const metric = (
  priority: TicketPriority,
  name: SlaMetric,
  target: number,
  business_hours = false,
): PolicyMetric => ({ priority, metric: name, target, business_hours });

const policy = (id: number, metrics: PolicyMetric[]): SlaPolicy => ({
  id,
  title: `Policy ${id}`,
  description: '',
  position: id,
  filter: { all: [], any: [] },
  policy_metrics: metrics,
  created_at: at(-1000),
  updated_at: at(-1000),
  version: 1,
});

const URGENT = policy(1, [
  metric('urgent', 'first_reply_time', 30),
  metric('urgent', 'next_reply_time', 60),
  metric('urgent', 'periodic_update_time', 90),
  metric('urgent', 'pausable_update_time', 90),
  metric('urgent', 'requester_wait_time', 120),
  metric('urgent', 'agent_work_time', 240),
  metric('normal', 'first_reply_time', 120),
  metric('low', 'first_reply_time', 5),
]);

/** A small history builder: each audit gets the next id, as the ticket write does. */
const history = () => {
  const audits: Audit[] = [];
  const add = (minute: number, author: number, events: AuditEvent[]) => {
    const id = audits.length + 1;
    audits.push({
      id,
      ticket_id: 1,
      author_id: author,
      created_at: at(minute),
      via: apiVia(),
      metadata: { system: {}, custom: {} },
      events,
    });
    return builder;
  };
  const comment = (author: number, isPublic = true): AuditEvent => ({
    type: 'Comment',
    id: audits.length * 1000 + 1,
    author_id: author,
    body: 'text',
    html_body: '<p>text</p>',
    plain_body: 'text',
    public: isPublic,
    attachments: [],
    audit_id: audits.length + 1,
  });
  const change = (field: string, value: unknown): AuditEvent => ({
    id: 0,
    type: 'Change',
    field_name: field,
    value,
    previous_value: null,
  });
  const builder = {
    audits,
    created: (
      minute: number,
      options: { author?: number; priority?: TicketPriority | null; status?: string } = {},
    ) =>
      add(minute, options.author ?? REQUESTER, [
        comment(options.author ?? REQUESTER),
        { id: 0, type: 'Create', field_name: 'status', value: options.status ?? 'new' },
        ...(options.priority === null
          ? []
          : [
              {
                id: 0,
                type: 'Create',
                field_name: 'priority',
                value: options.priority ?? 'urgent',
              } as AuditEvent,
            ]),
      ]),
    agentReply: (minute: number, status?: string) =>
      add(minute, AGENT, [comment(AGENT), ...(status ? [change('status', status)] : [])]),
    agentNote: (minute: number) => add(minute, AGENT, [comment(AGENT, false)]),
    requesterComment: (minute: number) => add(minute, REQUESTER, [comment(REQUESTER)]),
    status: (minute: number, status: string) => add(minute, AGENT, [change('status', status)]),
    priority: (minute: number, priority: TicketPriority | null) =>
      add(minute, AGENT, [change('priority', priority)]),
  };
  return builder;
};

const compute = (
  audits: Audit[],
  nowMinute: number,
  options: { policies?: (snapshot: TicketSnapshot) => SlaPolicy | undefined; clocks?: TicketClocks } = {},
) =>
  computeSlaClocks({
    ticketId: 1,
    audits,
    policyFor: options.policies ?? (() => URGENT),
    isAgent: (userId) => userId === AGENT,
    clocks: options.clocks ?? calendarOnly,
    now: at(nowMinute),
  });

const stateOf = (result: ReturnType<typeof compute>, name: SlaMetric) =>
  result.state.policy_metrics.find((state) => state.metric === name);

const eventsOf = (result: ReturnType<typeof compute>, type: string) =>
  result.events.filter((event) => event.type === type);

describe('first reply time', () => {
  it('runs from creation for an urgent ticket: breach_at is created + 30 minutes', () => {
    const result = compute(history().created(0).audits, 5);
    expect(stateOf(result, 'first_reply_time')).toEqual({
      metric: 'first_reply_time',
      instance_id: 1,
      stage: 'active',
      breach_at: at(30),
      target: 30,
      business_hours: false,
      remaining_minutes: 25,
      breached: false,
    });
    expect(result.running).toContainEqual({ ticket_id: 1, metric: 'first_reply_time', breach_at: at(30) });
    expect(result.events.slice(0, 1)).toEqual([
      {
        id: 1001,
        ticket_id: 1,
        metric: 'reply_time',
        instance_id: 1,
        type: 'apply_sla',
        time: at(0),
        sla: { target: 30, business_hours: false, policy: { id: 1, title: 'Policy 1', description: '' } },
      },
    ]);
    expect(result.events).toContainEqual(
      expect.objectContaining({ type: 'activate', metric: 'reply_time', instance_id: 1, time: at(0) }),
    );
  });

  it('is fulfilled by a public agent reply at minute 29, with no breach', () => {
    const result = compute(history().created(0).agentReply(29).audits, 120);
    expect(stateOf(result, 'first_reply_time')).toMatchObject({
      stage: 'achieved',
      breach_at: null,
      breached: false,
    });
    expect(result.events).toContainEqual(
      expect.objectContaining({ type: 'fulfill', metric: 'reply_time', instance_id: 1, time: at(29) }),
    );
    expect(result.events).toContainEqual(
      expect.objectContaining({
        type: 'update_status',
        metric: 'reply_time',
        status: { calendar: 29, business: 29 },
      }),
    );
    expect(eventsOf(result, 'breach').filter((event) => event.metric === 'reply_time')).toEqual([]);
    expect(result.running.map((timer) => timer.metric)).not.toContain('first_reply_time');
  });

  it('breaches at minute 30 when nobody answered, and the breach follows the creating audit', () => {
    const result = compute(history().created(0).audits, 45);
    const breach = eventsOf(result, 'breach').find((event) => event.metric === 'reply_time');
    expect(breach).toMatchObject({ time: at(30), instance_id: 1 });
    expect(Math.floor((breach?.id ?? 0) / 1000)).toBe(1);
    expect(stateOf(result, 'first_reply_time')).toMatchObject({
      stage: 'active',
      breach_at: at(30),
      remaining_minutes: -15,
      breached: true,
    });
  });

  it('counts a reply exactly at the breach instant as breached (breach when now ≥ breach_at)', () => {
    const result = compute(history().created(0).agentReply(30).audits, 60);
    expect(eventsOf(result, 'breach').map((event) => [event.metric, event.time])).toContainEqual([
      'reply_time',
      at(30),
    ]);
  });

  it('ignores internal notes', () => {
    const result = compute(history().created(0).agentNote(10).audits, 20);
    expect(stateOf(result, 'first_reply_time')?.stage).toBe('active');
  });

  it('is not owed on a ticket an agent opened with a public comment', () => {
    const result = compute(history().created(0, { author: AGENT }).audits, 10);
    expect(stateOf(result, 'first_reply_time')).toBeUndefined();
    expect(result.events.some((event) => event.type === 'activate' && event.metric === 'reply_time')).toBe(
      false,
    );
  });
});

describe('next reply time', () => {
  it('starts with a requester comment after an agent reply and ends with the next agent reply', () => {
    const ongoing = history().created(0).agentReply(10).requesterComment(20);
    const running = compute(ongoing.audits, 30);
    expect(stateOf(running, 'next_reply_time')).toMatchObject({
      instance_id: 2,
      stage: 'active',
      breach_at: at(80),
    });
    const answered = compute(ongoing.agentReply(50).audits, 100);
    expect(stateOf(answered, 'next_reply_time')).toMatchObject({ instance_id: 2, stage: 'achieved' });
    expect(answered.events).toContainEqual(
      expect.objectContaining({ type: 'fulfill', metric: 'reply_time', instance_id: 2, time: at(50) }),
    );
  });

  it('does not start from a requester comment before any agent reply', () => {
    const result = compute(history().created(0).requesterComment(5).audits, 10);
    expect(stateOf(result, 'next_reply_time')).toBeUndefined();
  });

  it('starts with the requester answer on an agent-opened ticket', () => {
    const result = compute(history().created(0, { author: AGENT }).requesterComment(15).audits, 20);
    expect(stateOf(result, 'next_reply_time')).toMatchObject({ instance_id: 2, breach_at: at(75) });
  });
});

describe('update clocks', () => {
  it('measures periodic updates between public agent replies, pending or not', () => {
    const result = compute(history().created(0).agentReply(10).agentReply(50, 'pending').audits, 60);
    expect(stateOf(result, 'periodic_update_time')).toMatchObject({
      instance_id: 2,
      stage: 'active',
      breach_at: at(140),
    });
    expect(result.events).toContainEqual(
      expect.objectContaining({
        type: 'fulfill',
        metric: 'periodic_update_time',
        instance_id: 1,
        time: at(50),
      }),
    );
  });

  it('pauses the pausable update while pending and resumes it, moved by the paused span', () => {
    const ongoing = history().created(0).agentReply(10, 'pending');
    expect(stateOf(compute(ongoing.audits, 20), 'pausable_update_time')).toMatchObject({
      stage: 'paused',
      breach_at: null,
      remaining_minutes: 90,
    });
    const resumed = compute(ongoing.status(40, 'open').audits, 45);
    expect(stateOf(resumed, 'pausable_update_time')).toMatchObject({ stage: 'active', breach_at: at(130) });
  });
});

describe('wait clocks', () => {
  it('pauses requester wait while pending, and resuming moves breach_at by the paused span', () => {
    const ongoing = history().created(0).status(10, 'pending');
    const paused = compute(ongoing.audits, 20);
    expect(stateOf(paused, 'requester_wait_time')).toMatchObject({ stage: 'paused', remaining_minutes: 110 });
    expect(paused.running.map((timer) => timer.metric)).not.toContain('requester_wait_time');
    expect(paused.events).toContainEqual(
      expect.objectContaining({ type: 'pause', metric: 'requester_wait_time', time: at(10) }),
    );
    const resumed = compute(ongoing.status(40, 'open').audits, 45);
    expect(stateOf(resumed, 'requester_wait_time')).toMatchObject({ stage: 'active', breach_at: at(150) });
    expect(stateOf(resumed, 'agent_work_time')).toMatchObject({ stage: 'active', breach_at: at(270) });
  });

  it('pauses both wait clocks while on hold, but not the reply clocks', () => {
    const result = compute(history().created(0).status(10, 'hold').audits, 20);
    expect(stateOf(result, 'requester_wait_time')?.stage).toBe('paused');
    expect(stateOf(result, 'agent_work_time')?.stage).toBe('paused');
    expect(stateOf(result, 'first_reply_time')).toMatchObject({ stage: 'active', breach_at: at(30) });
  });
});

describe('solve and reopen', () => {
  it('stops every clock on solve and resumes each with its elapsed time on reopen', () => {
    const solved = history().created(0).status(20, 'solved');
    const stopped = compute(solved.audits, 30);
    expect(stateOf(stopped, 'first_reply_time')).toMatchObject({ stage: 'paused', remaining_minutes: 10 });
    expect(stateOf(stopped, 'requester_wait_time')).toMatchObject({ stage: 'achieved' });
    expect(stopped.running).toEqual([]);
    expect(stopped.events).toContainEqual(
      expect.objectContaining({ type: 'fulfill', metric: 'requester_wait_time', time: at(20) }),
    );

    const reopened = compute(solved.status(60, 'open').audits, 61);
    expect(stateOf(reopened, 'first_reply_time')).toMatchObject({ stage: 'active', breach_at: at(70) });
    expect(stateOf(reopened, 'requester_wait_time')).toMatchObject({
      instance_id: 1,
      stage: 'active',
      breach_at: at(160),
    });
  });
});

describe('re-targeting', () => {
  const byPriority = (snapshot: TicketSnapshot) => (snapshot.ticket.priority ? URGENT : undefined);

  it('recomputes breach_at from the start with the new target when the priority changes', () => {
    const result = compute(history().created(0).priority(10, 'normal').audits, 20, { policies: byPriority });
    expect(stateOf(result, 'first_reply_time')).toMatchObject({ target: 120, breach_at: at(120) });
    expect(result.events).toContainEqual(
      expect.objectContaining({
        type: 'apply_sla',
        metric: 'reply_time',
        instance_id: 1,
        time: at(10),
        sla: expect.objectContaining({ target: 120 }),
      }),
    );
  });

  it('applies a policy that starts matching later to the clock running since creation', () => {
    const result = compute(history().created(0, { priority: null }).priority(10, 'urgent').audits, 20, {
      policies: byPriority,
    });
    expect(stateOf(result, 'first_reply_time')).toMatchObject({ breach_at: at(30), remaining_minutes: 10 });
  });

  it('breaches at the re-targeting audit when the new target has already passed', () => {
    const result = compute(history().created(0).priority(10, 'low').audits, 20, { policies: byPriority });
    const breaches = eventsOf(result, 'breach');
    expect(breaches).toEqual([expect.objectContaining({ metric: 'reply_time', time: at(10) })]);
    expect(Math.floor((breaches[0]?.id ?? 0) / 1000)).toBe(2);
    expect(stateOf(result, 'first_reply_time')).toMatchObject({ breach_at: at(5), breached: true });
  });

  it('drops the targets when no policy applies any more, saying so with an empty apply_sla', () => {
    const result = compute(history().created(0).priority(10, null).audits, 20, { policies: byPriority });
    expect(result.state).toMatchObject({ policy: null, policy_metrics: [] });
    expect(result.running).toEqual([]);
    expect(result.events).toContainEqual(
      expect.objectContaining({ type: 'apply_sla', metric: 'reply_time', time: at(10), sla: null }),
    );
  });

  it('keeps the clocks but sets no target on a ticket without priority', () => {
    const result = compute(history().created(0, { priority: null }).audits, 10);
    expect(result.state.policy_metrics).toEqual([]);
    expect(result.events.some((event) => event.type === 'activate')).toBe(true);
  });
});

describe('business hours', () => {
  /** A schedule of 09:00–17:00 UTC every day, minute by minute (slow, obvious, enough for a test). */
  const nineToFive: BusinessClock = {
    add: (start, minutes) => {
      let time = Date.parse(start);
      let left = minutes;
      const open = (instant: number) => {
        const hour = new Date(instant).getUTCHours();
        return hour >= 9 && hour < 17;
      };
      while (left > 0 || !open(time)) {
        if (open(time)) left -= 1;
        time += 60_000;
        if (left === 0) break;
      }
      return new Date(time).toISOString().replace('.000Z', 'Z');
    },
    between: (from, to) => {
      let count = 0;
      for (let time = Date.parse(from); time < Date.parse(to); time += 60_000) {
        const hour = new Date(time).getUTCHours();
        if (hour >= 9 && hour < 17) count += 1;
      }
      return count;
    },
  };
  const clocks = { calendar: calendarOnly.calendar, business: nineToFive };
  const BUSINESS = policy(2, [metric('urgent', 'first_reply_time', 60, true)]);

  it('counts a business-hours target in schedule time: created at 16:30, breached at 09:30 next day', () => {
    const result = compute(history().created(450).audits, 460, { policies: () => BUSINESS, clocks });
    expect(stateOf(result, 'first_reply_time')?.breach_at).toBe('2026-03-03T09:30:00Z');
  });

  it('reports both calendar and business minutes when a clock is fulfilled', () => {
    const result = compute(history().created(450).agentReply(1440).audits, 1441, {
      policies: () => BUSINESS,
      clocks,
    });
    expect(result.events).toContainEqual(
      expect.objectContaining({ type: 'update_status', status: { calendar: 990, business: 30 } }),
    );
  });
});

describe('determinism', () => {
  it('names the same events with the same ids whenever it is recomputed, later or with more history', () => {
    const early = history().created(0).agentReply(10).requesterComment(20);
    const first = compute(early.audits, 25);
    const later = compute(early.audits, 500);
    const longer = compute(
      history().created(0).agentReply(10).requesterComment(20).agentReply(600).audits,
      700,
    );
    for (const event of first.events) {
      expect(later.events).toContainEqual(event);
      expect(longer.events).toContainEqual(event);
    }
    const ids = longer.events.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The breaches found later (next reply at 80, wait clocks...) follow the audit they happened after.
    const breaches = eventsOf(later, 'breach');
    expect(breaches.length).toBeGreaterThan(0);
    for (const breach of breaches) expect(Math.floor(breach.id / 1000)).toBe(3);
    expect(eventsOf(longer, 'breach').filter((breach) => breach.id < 4000)).toEqual(breaches);
  });
});
