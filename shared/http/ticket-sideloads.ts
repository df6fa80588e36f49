/**
 * `include=users,groups,organizations` on ticket reads (zendesk-api.md §1.4): the people, groups and
 * organizations the tickets name, fetched with one batch read per kind. `include=slas` is not a
 * top-level list but a `slas` object on each ticket (ticketSerializer).
 */
import { nowTimestamp } from '../domain/clock.ts';
import type { Ticket } from '../domain/tickets/ticket.ts';
import { getGroups } from '../store/directory/groups.ts';
import { getOrganizations } from '../store/directory/organizations.ts';
import { getUsers } from '../store/directory/users.ts';
import { getTicketSlaStates } from '../store/sla/ticket-slas.ts';
import type { ApiRequest } from './api-request.ts';
import { serializeGroup } from './serializers/group.ts';
import { serializeOrganization } from './serializers/organization.ts';
import { serializeTicketSlas } from './serializers/sla.ts';
import { serializeTicket } from './serializers/ticket.ts';
import { serializeUser } from './serializers/user.ts';

const requestedSideloads = (request: ApiRequest): Set<string> =>
  new Set(
    (request.query.get('include') ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );

const idsOf = (values: readonly (number | null)[]): number[] => [
  ...new Set(values.filter((value): value is number => value !== null)),
];

export const withTicketSideloads = async (
  request: ApiRequest,
  tickets: readonly Ticket[],
): Promise<Record<string, unknown>> => {
  const include = requestedSideloads(request);
  const sideloads: Record<string, unknown> = {};
  if (include.has('users')) {
    const ids = idsOf(
      tickets.flatMap((ticket) => [
        ticket.requester_id,
        ticket.submitter_id,
        ticket.assignee_id,
        ...ticket.collaborator_ids,
      ]),
    );
    sideloads.users = (await getUsers(ids)).map((user) => serializeUser(user, request.publicUrl));
  }
  if (include.has('groups')) {
    const groups = await getGroups(idsOf(tickets.map((ticket) => ticket.group_id)));
    sideloads.groups = groups.map((group) => serializeGroup(group, request.publicUrl));
  }
  if (include.has('organizations')) {
    const organizations = await getOrganizations(idsOf(tickets.map((ticket) => ticket.organization_id)));
    sideloads.organizations = organizations.map((organization) =>
      serializeOrganization(organization, request.publicUrl),
    );
  }
  return sideloads;
};

/** Serializes the tickets of one response; with `include=slas`, each carries its SLA clocks. */
export const ticketSerializer = async (
  request: ApiRequest,
  tickets: readonly Ticket[],
): Promise<(ticket: Ticket) => Record<string, unknown>> => {
  if (!requestedSideloads(request).has('slas')) return (ticket) => serializeTicket(ticket, request.publicUrl);
  const states = await getTicketSlaStates(tickets.map((ticket) => ticket.id));
  const now = nowTimestamp();
  return (ticket) => ({
    ...serializeTicket(ticket, request.publicUrl),
    slas: serializeTicketSlas(states.get(ticket.id), now),
  });
};
