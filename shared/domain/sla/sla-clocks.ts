/**
 * The SLA clock engine: replays a ticket's audits and runs one clock per metric instance, as Zendesk
 * does, against the targets of the policy that applies after each audit. Recomputing from the whole
 * history keeps the consumer idempotent, and every event's id derives from the audit it follows, so a
 * recomputation names the same events again.
 *
 * A clock is a list of running segments; its counted minutes are the segments measured with the
 * metric's clock (business or calendar). Re-targeting therefore keeps the elapsed time and recomputes
 * the breach instant from the metric's start, and a pause moves the breach instant by the paused span.
 */
import { type Audit, eventId, type TicketStatus } from '../tickets/ticket.ts';
import { clockFor, type TicketClocks } from './business-clock.ts';
import {
  type AppliedSla,
  eventMetricOf,
  type MetricEventType,
  type TicketMetricEvent,
} from './sla-metric-events.ts';
import type { PolicyMetric, SlaPolicy } from './sla-policy.ts';
import { SLA_METRICS, type SlaMetric, type SlaTimer } from './sla-timers.ts';
import { type TicketSnapshot, ticketSnapshots } from './ticket-snapshots.ts';

export type SlaStage = 'active' | 'paused' | 'achieved';

export interface SlaMetricState {
  metric: SlaMetric;
  instance_id: number;
  stage: SlaStage;
  /** Active clocks only: when the target is (or was) missed. */
  breach_at: string | null;
  target: number;
  business_hours: boolean;
  /** Counted minutes left at computation time; negative once the target was missed. */
  remaining_minutes: number;
  breached: boolean;
}

export interface TicketSlaState {
  ticket_id: number;
  /** The newest audit this was computed from; a write never replaces a newer computation. */
  computed_from_audit_id: number;
  computed_at: string;
  policy: { id: number; title: string } | null;
  /** Metrics the policy targets for the ticket's priority, once their clock has started. */
  policy_metrics: SlaMetricState[];
}

export interface SlaClockInput {
  ticketId: number;
  /** Oldest first. */
  audits: readonly Audit[];
  /** The policy that applies to the ticket as it stood after an audit (first match by position). */
  policyFor: (snapshot: TicketSnapshot) => SlaPolicy | undefined;
  isAgent: (userId: number) => boolean;
  clocks: TicketClocks;
  now: string;
}

export interface SlaComputation {
  state: TicketSlaState;
  /** Every metric event of the ticket's history, in order. */
  events: TicketMetricEvent[];
  /** Active clocks with a target: exactly the timers the ticket needs. */
  running: SlaTimer[];
}

interface Segment {
  from: string;
  /** Null while the clock runs. */
  to: string | null;
}

interface ClockInstance {
  metric: SlaMetric;
  instanceId: number;
  segments: Segment[];
  /** Met for good (a reply, an update): it never runs again. */
  fulfilled: boolean;
  /** Wait clocks a solve fulfils; a reopen resumes them with their elapsed time. */
  solvedStop: boolean;
  breached: boolean;
}

interface AppliedTarget {
  policy: SlaPolicy;
  metric: PolicyMetric;
}

/** Clocks that stop while the ticket waits on the requester or a third party (the rules). */
const PAUSED_WHILE_WAITING: ReadonlySet<SlaMetric> = new Set([
  'pausable_update_time',
  'requester_wait_time',
  'agent_work_time',
]);
/** A solve fulfils these (Zendesk); every other clock only pauses until a reopen. */
const FULFILLED_BY_SOLVE: ReadonlySet<SlaMetric> = new Set(['requester_wait_time', 'agent_work_time']);
const UPDATE_METRICS = ['periodic_update_time', 'pausable_update_time'] as const;

const isStopped = (status: TicketStatus) => status === 'solved' || status === 'closed';

const runsIn = (metric: SlaMetric, status: TicketStatus): boolean =>
  !isStopped(status) && !((status === 'pending' || status === 'hold') && PAUSED_WHILE_WAITING.has(metric));

const isRunning = (instance: ClockInstance): boolean => instance.segments.at(-1)?.to === null;

const ms = (iso: string) => Date.parse(iso);

const sameTarget = (a: AppliedTarget | undefined, b: AppliedTarget | undefined): boolean =>
  a?.policy.id === b?.policy.id &&
  a?.metric.target === b?.metric.target &&
  a?.metric.business_hours === b?.metric.business_hours;

export const computeSlaClocks = (input: SlaClockInput): SlaComputation => {
  const { ticketId, clocks } = input;
  const events: TicketMetricEvent[] = [];
  const instances = new Map<SlaMetric, ClockInstance>();
  const targets = new Map<SlaMetric, AppliedTarget>();
  /** Last instance id used per Zendesk metric; reply_time's 1 is reserved for the first reply. */
  const lastInstanceIds = new Map<string, number>([['reply_time', 1]]);
  let agentHasReplied = false;
  let groupAuditId = 0;
  let position = 0;

  const counted = (instance: ClockInstance, businessHours: boolean, at: string): number => {
    const clock = clockFor(clocks, businessHours);
    return instance.segments.reduce((sum, segment) => sum + clock.between(segment.from, segment.to ?? at), 0);
  };

  /** When the clock's counted minutes reach the target; undefined while stopped short of it. */
  const breachInstant = (instance: ClockInstance, target: PolicyMetric): string | undefined => {
    const clock = clockFor(clocks, target.business_hours);
    let elapsed = 0;
    for (const segment of instance.segments) {
      if (segment.to === null) return clock.add(segment.from, target.target - elapsed);
      const minutes = clock.between(segment.from, segment.to);
      if (elapsed + minutes >= target.target) return clock.add(segment.from, target.target - elapsed);
      elapsed += minutes;
    }
    return undefined;
  };

  const emit = (
    type: MetricEventType,
    metric: SlaMetric,
    instanceId: number,
    time: string,
    extra: Pick<TicketMetricEvent, 'sla' | 'status'> = {},
  ) => {
    events.push({
      id: eventId(groupAuditId, position++),
      ticket_id: ticketId,
      metric: eventMetricOf(metric),
      instance_id: instanceId,
      type,
      time,
      ...extra,
    });
  };

  const emitStatus = (instance: ClockInstance, at: string) =>
    emit('update_status', instance.metric, instance.instanceId, at, {
      status: {
        calendar: Math.round(counted(instance, false, at)),
        business: Math.round(counted(instance, true, at)),
      },
    });

  const nextInstanceId = (metric: SlaMetric): number => {
    if (metric === 'first_reply_time') return 1;
    return (lastInstanceIds.get(eventMetricOf(metric)) ?? 0) + 1;
  };

  /** The instance a target applies to: the open one, else the one the metric starts next. */
  const targetedInstanceId = (metric: SlaMetric): number => {
    const instance = instances.get(metric);
    return instance && !instance.fulfilled ? instance.instanceId : nextInstanceId(metric);
  };

  const start = (metric: SlaMetric, at: string, status: TicketStatus) => {
    const instanceId = nextInstanceId(metric);
    if (metric !== 'first_reply_time') lastInstanceIds.set(eventMetricOf(metric), instanceId);
    const instance: ClockInstance = {
      metric,
      instanceId,
      segments: [],
      fulfilled: false,
      solvedStop: false,
      breached: false,
    };
    instances.set(metric, instance);
    if (runsIn(metric, status)) {
      instance.segments.push({ from: at, to: null });
      emit('activate', metric, instanceId, at);
    }
  };

  const stopSegment = (instance: ClockInstance, at: string) => {
    const last = instance.segments.at(-1);
    if (last && last.to === null) last.to = at;
  };

  const fulfil = (instance: ClockInstance, at: string) => {
    stopSegment(instance, at);
    instance.fulfilled = true;
    emit('fulfill', instance.metric, instance.instanceId, at);
    emitStatus(instance, at);
  };

  /** Re-evaluates the policy: a changed target re-targets the metric's clock from its start. */
  const retarget = (snapshot: TicketSnapshot, at: string) => {
    const policy = input.policyFor(snapshot);
    const priority = snapshot.ticket.priority;
    for (const metric of SLA_METRICS) {
      const policyMetric = policy?.policy_metrics.find(
        (candidate) => candidate.metric === metric && candidate.priority === priority,
      );
      const next = policy && policyMetric ? { policy, metric: policyMetric } : undefined;
      if (sameTarget(targets.get(metric), next)) continue;
      if (next) targets.set(metric, next);
      else targets.delete(metric);
      const sla: AppliedSla | null = next
        ? {
            target: next.metric.target,
            business_hours: next.metric.business_hours,
            policy: { id: next.policy.id, title: next.policy.title, description: next.policy.description },
          }
        : null;
      emit('apply_sla', metric, targetedInstanceId(metric), at, { sla });
    }
  };

  const onCreate = (audit: Audit, status: TicketStatus) => {
    const comment = audit.events.find((event) => event.type === 'Comment');
    start('requester_wait_time', audit.created_at, status);
    start('agent_work_time', audit.created_at, status);
    // An agent who opens a ticket with a public comment has already spoken to the requester: no
    // first reply is owed; the requester's answer starts a next reply, and updates are measured.
    if (comment?.public && input.isAgent(comment.author_id)) {
      agentHasReplied = true;
      for (const metric of UPDATE_METRICS) start(metric, audit.created_at, status);
    } else {
      start('first_reply_time', audit.created_at, status);
    }
  };

  const onPublicComment = (authorId: number, at: string, status: TicketStatus) => {
    if (input.isAgent(authorId)) {
      for (const metric of ['first_reply_time', 'next_reply_time'] as const) {
        const instance = instances.get(metric);
        if (instance && !instance.fulfilled) fulfil(instance, at);
      }
      for (const metric of UPDATE_METRICS) {
        const instance = instances.get(metric);
        if (instance && !instance.fulfilled) fulfil(instance, at);
        start(metric, at, status);
      }
      agentHasReplied = true;
      return;
    }
    const nextReply = instances.get('next_reply_time');
    if (agentHasReplied && (!nextReply || nextReply.fulfilled)) start('next_reply_time', at, status);
  };

  /** Pauses, resumes, or (for wait clocks on a solve) fulfils each open clock for the new status. */
  const followStatus = (status: TicketStatus, at: string) => {
    for (const metric of SLA_METRICS) {
      const instance = instances.get(metric);
      if (!instance || instance.fulfilled) continue;
      const wasRunning = isRunning(instance);
      const shouldRun = runsIn(metric, status);
      if (wasRunning && !shouldRun) stopSegment(instance, at);
      if (isStopped(status) && FULFILLED_BY_SOLVE.has(metric)) {
        if (instance.solvedStop) continue;
        instance.solvedStop = true;
        emit('fulfill', metric, instance.instanceId, at);
        emitStatus(instance, at);
      } else if (wasRunning && !shouldRun) {
        emit('pause', metric, instance.instanceId, at);
        emitStatus(instance, at);
      } else if (!wasRunning && shouldRun) {
        instance.solvedStop = false;
        instance.segments.push({ from: at, to: null });
        emit('activate', metric, instance.instanceId, at);
      }
    }
  };

  /**
   * Records the breaches that happened by `upTo`. A breach instant after `since` is when it happened;
   * one at or before it became a breach only now (a new, shorter target), so it is dated `upTo`.
   */
  const recordBreaches = (upTo: string, since: string) => {
    const found: { instance: ClockInstance; time: string }[] = [];
    for (const metric of SLA_METRICS) {
      const instance = instances.get(metric);
      const target = targets.get(metric);
      if (!instance || !target || instance.breached || instance.fulfilled || instance.solvedStop) continue;
      const breachAt = breachInstant(instance, target.metric);
      if (breachAt === undefined || ms(breachAt) > ms(upTo)) continue;
      found.push({ instance, time: ms(breachAt) > ms(since) ? breachAt : upTo });
    }
    found.sort((a, b) => ms(a.time) - ms(b.time));
    for (const { instance, time } of found) {
      instance.breached = true;
      emit('breach', instance.metric, instance.instanceId, time);
    }
  };

  const snapshots = ticketSnapshots(ticketId, input.audits);
  let previousTime: string | undefined;
  input.audits.forEach((audit, index) => {
    const at = audit.created_at;
    const snapshot = snapshots[index] as TicketSnapshot;
    const status = snapshot.ticket.status;
    // Breaches between the previous audit and this one belong to the previous audit's events.
    if (previousTime !== undefined) recordBreaches(at, previousTime);
    groupAuditId = audit.id;
    position = 0;
    retarget(snapshot, at);
    const comments = audit.events.flatMap((event) => (event.type === 'Comment' ? [event] : []));
    if (index === 0) onCreate(audit, status);
    for (const comment of index === 0 ? comments.slice(1) : comments) {
      if (comment.public) onPublicComment(comment.author_id, at, status);
    }
    followStatus(status, at);
    recordBreaches(at, at);
    previousTime = at;
  });
  if (previousTime !== undefined) recordBreaches(input.now, previousTime);

  const lastSnapshot = snapshots.at(-1);
  const policy = lastSnapshot ? input.policyFor(lastSnapshot) : undefined;
  const policyMetrics = SLA_METRICS.flatMap((metric): SlaMetricState[] => {
    const instance = instances.get(metric);
    const target = targets.get(metric);
    if (!instance || !target) return [];
    const stage: SlaStage =
      instance.fulfilled || instance.solvedStop ? 'achieved' : isRunning(instance) ? 'active' : 'paused';
    return [
      {
        metric,
        instance_id: instance.instanceId,
        stage,
        breach_at: stage === 'active' ? (breachInstant(instance, target.metric) ?? null) : null,
        target: target.metric.target,
        business_hours: target.metric.business_hours,
        remaining_minutes: Math.round(
          target.metric.target - counted(instance, target.metric.business_hours, input.now),
        ),
        breached: instance.breached,
      },
    ];
  });

  return {
    state: {
      ticket_id: ticketId,
      computed_from_audit_id: input.audits.at(-1)?.id ?? 0,
      computed_at: input.now,
      policy: policy ? { id: policy.id, title: policy.title } : null,
      policy_metrics: policyMetrics,
    },
    events,
    running: policyMetrics.flatMap((state) =>
      state.stage === 'active' && state.breach_at !== null
        ? [{ ticket_id: ticketId, metric: state.metric, breach_at: state.breach_at }]
        : [],
    ),
  };
};
