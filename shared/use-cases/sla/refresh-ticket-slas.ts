/**
 * Recomputes a ticket's SLA clocks from its committed audits (consumer of ticket.created/updated),
 * stores the state beside the ticket with any metric events not stored yet, and hands the running
 * clocks to the timer port.
 *
 * Primary course: 1. read the ticket, its audits, the policies and the ticket's schedule (its current
 * group's, else organization's, else the account default); 2. evaluate the policies after each audit
 * against the ticket fields as that audit left them, with the requester and organization as they are
 * now (the directory keeps no history); 3. replay the clocks; 4. store new events, then the state
 * (never over a newer one); 5. sync the timers.
 * Idempotent: the same history names the same events, so a redelivery writes nothing new.
 */
import { isStaff } from '../../domain/directory/user.ts';
import type { RuleContext } from '../../domain/rules/rule-context.ts';
import { ticketClocks } from '../../domain/sla/business-clock.ts';
import { computeSlaClocks, type TicketSlaState } from '../../domain/sla/sla-clocks.ts';
import { policySelector } from '../../domain/sla/sla-policy.ts';
import type { SlaMetric, SlaTimerPort } from '../../domain/sla/sla-timers.ts';
import type { TicketSnapshot } from '../../domain/sla/ticket-snapshots.ts';
import { countSlaAchieved } from '../../observability/sla-metrics.ts';
import { getOrganizations } from '../../store/directory/organizations.ts';
import { getUsers } from '../../store/directory/users.ts';
import { listAllSlaPolicies } from '../../store/sla/sla-policies.ts';
import {
  getTicketSlaState,
  markBreachDeleted,
  putMetricEvents,
  saveTicketSlaState,
  storedMetricEvents,
} from '../../store/sla/ticket-slas.ts';
import { readAllAudits } from '../../store/tickets/ticket-metrics.ts';
import { getTicket } from '../../store/tickets/tickets.ts';
import { scheduleForTicket } from '../business-hours/schedule-for-ticket.ts';

export interface RefreshTicketSlasDependencies {
  timers: SlaTimerPort;
  now: () => string;
}

export const refreshTicketSlas = async (
  ticketId: number,
  dependencies: RefreshTicketSlasDependencies,
): Promise<void> => {
  const ticket = await getTicket(ticketId);
  // A purged ticket has nothing to keep; a deleted one keeps its last state until purged.
  if (!ticket || ticket.deleted_at !== null) {
    await dependencies.timers.syncTimers(ticketId, []);
    return;
  }
  const [audits, policies, stored, schedule, previous] = await Promise.all([
    readAllAudits(ticketId),
    listAllSlaPolicies(),
    storedMetricEvents(ticketId),
    scheduleForTicket(ticket),
    getTicketSlaState(ticketId),
  ]);
  const peopleIds = audits.flatMap((audit) => [
    audit.author_id,
    ...audit.events.flatMap((event) => (event.type === 'Comment' ? [event.author_id] : [])),
  ]);
  const users = await getUsers([...new Set([...peopleIds, ticket.requester_id])]);
  const usersById = new Map(users.map((user) => [user.id, user]));
  const organizationIds = users.flatMap((user) => (user.organization_id ? [user.organization_id] : []));
  const organizations = new Map(
    (
      await getOrganizations([
        ...new Set([...organizationIds, ...(ticket.organization_id ? [ticket.organization_id] : [])]),
      ])
    ).map((organization) => [organization.id, organization]),
  );

  const select = policySelector(policies);
  const contextOf = (snapshot: TicketSnapshot): RuleContext => {
    const requester = usersById.get(snapshot.ticket.requester_id);
    const organizationId = snapshot.ticket.organization_id ?? requester?.organization_id ?? null;
    const organization = organizationId === null ? undefined : organizations.get(organizationId);
    return {
      ticket: snapshot.ticket,
      reopens: snapshot.reopens,
      requester: requester
        ? { id: requester.id, role: requester.role, user_fields: requester.user_fields }
        : undefined,
      organization: organization
        ? { id: organization.id, organization_fields: organization.organization_fields }
        : undefined,
    };
  };

  const { state, events, running } = computeSlaClocks({
    ticketId,
    audits,
    policyFor: (snapshot) => select(contextOf(snapshot)),
    isAgent: (userId) => {
      const user = usersById.get(userId);
      return user !== undefined && isStaff(user);
    },
    clocks: ticketClocks(schedule),
    now: dependencies.now(),
  });

  const storedIds = new Set(stored.map((event) => event.id));
  const computedIds = new Set(events.map((event) => event.id));
  await putMetricEvents(events.filter((event) => !storedIds.has(event.id)));
  // A breach found from a history read before it was complete is not one: Zendesk marks it deleted.
  const vanished = stored.filter(
    (event) => event.type === 'breach' && !event.deleted && !computedIds.has(event.id),
  );
  await Promise.all(vanished.map((event) => markBreachDeleted(ticketId, event.id)));
  if (!(await saveTicketSlaState(state))) return;
  await dependencies.timers.syncTimers(ticketId, running);
  for (const metric of newlyAchieved(previous, state))
    countSlaAchieved({ metric, priority: ticket.priority });
};

/** Clock instances met in time since the stored state: with SlaBreaches, the achieved rate per metric. */
const newlyAchieved = (previous: TicketSlaState | undefined, next: TicketSlaState): SlaMetric[] => {
  const before = new Set(
    (previous?.policy_metrics ?? [])
      .filter((clock) => clock.stage === 'achieved')
      .map((clock) => `${clock.metric}#${clock.instance_id}`),
  );
  return next.policy_metrics
    .filter(
      (clock) =>
        clock.stage === 'achieved' && !clock.breached && !before.has(`${clock.metric}#${clock.instance_id}`),
    )
    .map((clock) => clock.metric);
};
