/**
 * Runs a view for an agent.
 *
 * Primary course:
 * 1. Plan the index reads from the view's `all` conditions at the request's instant
 *    (view-query-plan.ts: never a Scan; time conditions narrow partitions to an `updated_at` range).
 * 2. Read each planned partition, newest first, up to its bound.
 * 3. Gather what the conditions look at beyond the ticket (requester, organization, reopens, the
 *    metrics' instants that "hours since" conditions measure from) only when a condition needs it,
 *    and test every condition with the rule engine; `current_user` is the agent running the view.
 * 4. Order the matches by the view's group and sort columns (or the request's `sort_by`).
 *
 * Alternative course:
 * - A partition larger than its bound: only its newest tickets count, and the count says "~N".
 */

import { InvalidRequestError } from '../../domain/errors.ts';
import { ruleMatches } from '../../domain/rules/compile-rule.ts';
import type { RuleContext } from '../../domain/rules/rule-context.ts';
import { measuresFromMetrics, ticketClock } from '../../domain/rules/ticket-clock.ts';
import type { Ticket } from '../../domain/tickets/ticket.ts';
import type { TicketMetrics } from '../../domain/tickets/ticket-metrics.ts';
import type { ViewRecord } from '../../domain/views/view.ts';
import { canonicalColumnId, type TicketFacts } from '../../domain/views/view-columns.ts';
import { compileStoredConditions, storedColumn } from '../../domain/views/view-definition.ts';
import { type SortOverride, type ViewOrder, viewOrder } from '../../domain/views/view-order.ts';
import { MAX_TICKETS_PER_PARTITION, planViewQuery } from '../../domain/views/view-query-plan.ts';
import type { Caller } from '../../http/caller.ts';
import { getOrganizations } from '../../store/directory/organizations.ts';
import { getUsers } from '../../store/directory/users.ts';
import { getMetricsOfTickets, readTicketPartition } from '../../store/tickets/view-tickets.ts';

export interface ViewResult {
  /** Every matching ticket, in the view's order. */
  tickets: TicketFacts[];
  order: ViewOrder;
  /** Some planned partition held more tickets than were read. */
  truncated: boolean;
}

const REQUESTER_FIELDS = /^(requester_role$|user\.)/;
const ORGANIZATION_FIELDS = /^organization\./;

const conditionsOf = (view: ViewRecord) => [...view.conditions.all, ...view.conditions.any];

const usesField = (view: ViewRecord, pattern: RegExp) =>
  conditionsOf(view).some((condition) => pattern.test(condition.field));

/** The request's `sort_by` must name a column tickets can be ordered by (400 otherwise). */
const checkedOverride = (
  view: ViewRecord,
  override: { sort_by?: string | undefined; sort_order?: 'asc' | 'desc' | undefined },
): SortOverride => {
  if (override.sort_by === undefined) return { sort_order: override.sort_order };
  const sortBy = canonicalColumnId(override.sort_by);
  if (!storedColumn(view.execution, sortBy)?.order)
    throw new InvalidRequestError(`sort_by: tickets cannot be ordered by '${override.sort_by}'`);
  return { sort_by: sortBy, sort_order: override.sort_order };
};

/** Reads the planned partitions; a ticket found twice counts once. */
const readCandidates = async (view: ViewRecord, caller: Caller, now: string) => {
  const reads = await Promise.all(
    planViewQuery(view.conditions.all, caller.userId, now).map((read) =>
      readTicketPartition(read, MAX_TICKETS_PER_PARTITION),
    ),
  );
  const tickets = new Map<number, Ticket>();
  for (const read of reads) for (const ticket of read.tickets) tickets.set(ticket.id, ticket);
  return { tickets: [...tickets.values()], truncated: reads.some((read) => read.truncated) };
};

/** The rule context of each candidate at `now`; people, organizations and metrics are loaded only if needed. */
const contextsOf = async (
  view: ViewRecord,
  tickets: Ticket[],
  caller: Caller,
  { now, withMetrics }: { now: string; withMetrics: boolean },
) => {
  const needsRequester = usesField(view, REQUESTER_FIELDS) || usesField(view, ORGANIZATION_FIELDS);
  const requesters = new Map(
    (needsRequester ? await getUsers(tickets.map((ticket) => ticket.requester_id)) : []).map((user) => [
      user.id,
      user,
    ]),
  );
  const organizationIdOf = (ticket: Ticket) =>
    ticket.organization_id ?? requesters.get(ticket.requester_id)?.organization_id ?? null;
  const organizations = new Map(
    (usesField(view, ORGANIZATION_FIELDS)
      ? await getOrganizations(tickets.map(organizationIdOf).filter((id): id is number => id !== null))
      : []
    ).map((organization) => [organization.id, organization]),
  );
  const metrics = withMetrics
    ? await getMetricsOfTickets(tickets.map((ticket) => ticket.id))
    : new Map<number, TicketMetrics>();
  return tickets.map((ticket): { facts: TicketFacts; context: RuleContext } => {
    const requester = requesters.get(ticket.requester_id);
    const organizationId = organizationIdOf(ticket);
    const organization = organizationId === null ? undefined : organizations.get(organizationId);
    const ticketMetrics = metrics.get(ticket.id);
    return {
      facts: { ticket, metrics: ticketMetrics },
      context: {
        ticket,
        currentUser: { id: caller.userId, role: caller.role },
        requester: requester && {
          id: requester.id,
          role: requester.role,
          user_fields: requester.user_fields,
        },
        organization: organization && {
          id: organization.id,
          organization_fields: organization.organization_fields,
        },
        reopens: ticketMetrics?.reopens,
        clock: ticketClock(ticket, ticketMetrics, now),
      },
    };
  });
};

/**
 * The view's tickets for this caller at `now` (the request's instant, which "hours since" conditions
 * measure to), in order.
 */
export const executeView = async (
  view: ViewRecord,
  caller: Caller,
  now: string,
  override: { sort_by?: string | undefined; sort_order?: 'asc' | 'desc' | undefined } = {},
): Promise<ViewResult> => {
  const order = viewOrder(view.execution, checkedOverride(view, override));
  const rule = compileStoredConditions(view.conditions);
  const candidates = await readCandidates(view, caller, now);
  const withMetrics =
    order.needsMetrics || usesField(view, /^reopens$/) || conditionsOf(view).some(measuresFromMetrics);
  const matches = (await contextsOf(view, candidates.tickets, caller, { now, withMetrics }))
    .filter(({ context }) => ruleMatches(rule, context))
    .map(({ facts }) => ({ facts, key: order.key(facts) }))
    .sort((left, right) => order.compare(left.key, right.key))
    .map(({ facts }) => facts);
  return { tickets: matches, order, truncated: candidates.truncated };
};

/** Adds metrics to a page of rows when its columns show metric times and the run did not load them. */
export const withColumnMetrics = async (view: ViewRecord, rows: TicketFacts[]): Promise<TicketFacts[]> => {
  const needed = view.execution.columns.some(
    (column) => storedColumn(view.execution, column.id)?.needsMetrics,
  );
  if (!needed || rows.every((row) => row.metrics)) return rows;
  const metrics = await getMetricsOfTickets(rows.map((row) => row.ticket.id));
  return rows.map((row) => ({ ...row, metrics: metrics.get(row.ticket.id) }));
};

export interface ViewCount {
  value: number;
  /** Zendesk's approximation text; `~N` when the count is a lower bound. */
  pretty: string;
}

/** Counts what `executeView` lists at the same instant, so a count and its view never disagree. */
export const countView = async (view: ViewRecord, caller: Caller, now: string): Promise<ViewCount> => {
  const result = await executeView(view, caller, now);
  const value = result.tickets.length;
  return { value, pretty: result.truncated ? `~${value}` : String(value) };
};
