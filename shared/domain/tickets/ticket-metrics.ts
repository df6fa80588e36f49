/**
 * Zendesk's ticket metrics, computed from a ticket's audits. Recomputing from the whole history (rather
 * than adding each event's effect) makes the metrics consumer idempotent: a redelivered or reordered
 * event produces the same result. Intervals still running (e.g. the current wait) are not counted
 * until they end, so the result depends only on committed history. `business` counts the same spans
 * in the ticket's schedule (calendar time when it has none).
 */
import type { Audit, Ticket, TicketStatus } from './ticket.ts';

export interface MinutesMetric {
  calendar: number | null;
  business: number | null;
}

export interface TicketMetrics {
  id: number;
  ticket_id: number;
  /** The newest audit this was computed from; a write never replaces a newer computation. */
  computed_from_audit_id: number;
  created_at: string;
  updated_at: string;
  group_stations: number;
  assignee_stations: number;
  reopens: number;
  replies: number;
  assignee_updated_at: string | null;
  requester_updated_at: string | null;
  status_updated_at: string;
  initially_assigned_at: string | null;
  assigned_at: string | null;
  solved_at: string | null;
  /**
   * When the ticket last entered each status it has been in: what automations' "hours since open,
   * pending, ..." conditions measure from. Internal, not part of Zendesk's metric set.
   */
  status_entered_at: Partial<Record<TicketStatus, string>>;
  latest_comment_added_at: string | null;
  reply_time_in_minutes: MinutesMetric;
  first_resolution_time_in_minutes: MinutesMetric;
  full_resolution_time_in_minutes: MinutesMetric;
  agent_wait_time_in_minutes: MinutesMetric;
  requester_wait_time_in_minutes: MinutesMetric;
  on_hold_time_in_minutes: MinutesMetric;
}

const minutesBetween = (from: string, to: string): number =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));

/** Business minutes between two instants in the ticket's schedule (fractional; summed, then rounded). */
export type BusinessMinutesBetween = (fromIso: string, toIso: string) => number;

/** Statuses during which the requester is waiting on the team (Zendesk: new, open, on-hold). */
const REQUESTER_WAITS: ReadonlySet<TicketStatus> = new Set(['new', 'open', 'hold']);

export const computeTicketMetrics = (
  ticket: Ticket,
  auditsInOrder: readonly Audit[],
  isAgent: (userId: number) => boolean,
  businessMinutesBetween: BusinessMinutesBetween,
): TicketMetrics => {
  const minutesSinceCreation = (until: string | null): MinutesMetric =>
    until === null
      ? { calendar: null, business: null }
      : {
          calendar: minutesBetween(ticket.created_at, until),
          business: Math.round(businessMinutesBetween(ticket.created_at, until)),
        };
  let status: TicketStatus | undefined;
  let statusSince = ticket.created_at;
  const waited = { agent: 0, requester: 0, hold: 0 };
  const waitedInBusiness = { agent: 0, requester: 0, hold: 0 };
  let reopens = 0;
  let replies = 0;
  let firstReplyAt: string | null = null;
  let firstSolvedAt: string | null = null;
  let solvedAt: string | null = null;
  let statusUpdatedAt = ticket.created_at;
  const statusEnteredAt: Partial<Record<TicketStatus, string>> = {};
  let initiallyAssignedAt: string | null = null;
  let assignedAt: string | null = null;
  let latestCommentAt: string | null = null;
  let requesterUpdatedAt: string | null = null;
  let assigneeUpdatedAt: string | null = null;
  const groups = new Set<number>();
  const assignees = new Set<number>();
  let firstComment = true;

  for (const audit of auditsInOrder) {
    if (audit.author_id === ticket.requester_id) requesterUpdatedAt = audit.created_at;
    if (ticket.assignee_id !== null && audit.author_id === ticket.assignee_id)
      assigneeUpdatedAt = audit.created_at;
    for (const event of audit.events) {
      if (event.type === 'Comment') {
        latestCommentAt = audit.created_at;
        if (!firstComment && event.public && isAgent(event.author_id)) {
          replies += 1;
          firstReplyAt ??= audit.created_at;
        }
        firstComment = false;
        continue;
      }
      if (event.type !== 'Create' && event.type !== 'Change') continue;
      const value = event.value;
      if (event.field_name === 'status') {
        const next = value as TicketStatus;
        if (status !== undefined) {
          const spent = minutesBetween(statusSince, audit.created_at);
          const spentInBusiness = businessMinutesBetween(statusSince, audit.created_at);
          const waits = [
            ['agent', status === 'pending'],
            ['requester', REQUESTER_WAITS.has(status)],
            ['hold', status === 'hold'],
          ] as const;
          for (const [wait, applies] of waits) {
            if (!applies) continue;
            waited[wait] += spent;
            waitedInBusiness[wait] += spentInBusiness;
          }
          statusUpdatedAt = audit.created_at;
        }
        if (status === 'solved' && next !== 'closed') reopens += 1;
        if (next === 'solved') {
          solvedAt = audit.created_at;
          firstSolvedAt ??= audit.created_at;
        }
        if (next !== status) statusEnteredAt[next] = audit.created_at;
        status = next;
        statusSince = audit.created_at;
      } else if (event.field_name === 'assignee_id' && typeof value === 'number') {
        initiallyAssignedAt ??= audit.created_at;
        assignedAt = audit.created_at;
        assignees.add(value);
      } else if (event.field_name === 'group_id' && typeof value === 'number') {
        groups.add(value);
      }
    }
  }

  const lastAudit = auditsInOrder.at(-1);
  return {
    id: ticket.id,
    ticket_id: ticket.id,
    computed_from_audit_id: lastAudit?.id ?? 0,
    created_at: ticket.created_at,
    updated_at: lastAudit?.created_at ?? ticket.created_at,
    group_stations: groups.size,
    assignee_stations: assignees.size,
    reopens,
    replies,
    assignee_updated_at: assigneeUpdatedAt,
    requester_updated_at: requesterUpdatedAt,
    status_updated_at: statusUpdatedAt,
    initially_assigned_at: initiallyAssignedAt,
    assigned_at: assignedAt,
    solved_at: solvedAt,
    status_entered_at: statusEnteredAt,
    latest_comment_added_at: latestCommentAt,
    reply_time_in_minutes: minutesSinceCreation(firstReplyAt),
    first_resolution_time_in_minutes: minutesSinceCreation(firstSolvedAt),
    full_resolution_time_in_minutes: minutesSinceCreation(solvedAt),
    agent_wait_time_in_minutes: { calendar: waited.agent, business: Math.round(waitedInBusiness.agent) },
    requester_wait_time_in_minutes: {
      calendar: waited.requester,
      business: Math.round(waitedInBusiness.requester),
    },
    on_hold_time_in_minutes: { calendar: waited.hold, business: Math.round(waitedInBusiness.hold) },
  };
};
