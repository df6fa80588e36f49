/** The `groups` route group: Zendesk's Groups and Group Memberships APIs (zendesk-api.md §3). */

import { nowTimestamp } from '../../shared/domain/clock.ts';
import type { Group } from '../../shared/domain/directory/group.ts';
import type { GroupMembership } from '../../shared/domain/directory/group-membership.ts';
import { NotFoundError, ValidationError } from '../../shared/domain/errors.ts';
import { type ApiRequest, created, noContent, ok } from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { groupBody, groupMembershipBody } from '../../shared/http/schemas/directory-input.ts';
import { serializeGroup } from '../../shared/http/serializers/group.ts';
import { serializeGroupMembership } from '../../shared/http/serializers/group-membership.ts';
import {
  getGroupMembership,
  listGroupMemberships,
  listMembershipsOfGroup,
  listMembershipsOfUser,
} from '../../shared/store/directory/group-memberships.ts';
import { listGroups } from '../../shared/store/directory/groups.ts';
import { getUser } from '../../shared/store/directory/users.ts';
import {
  addGroupMember,
  createGroup,
  deleteGroup,
  getLiveGroup,
  removeGroupMember,
  updateGroup,
} from '../../shared/use-cases/groups/manage-groups.ts';

const groupSerializer = (request: ApiRequest) => (group: Group) => serializeGroup(group, request.publicUrl);
const membershipSerializer = (request: ApiRequest) => (membership: GroupMembership) =>
  serializeGroupMembership(membership, request.publicUrl);

const listGroupsRoute = async (request: ApiRequest) =>
  ok(pageEnvelope(request, 'groups', await listGroups(pageRequestOf(request)), groupSerializer(request)));

export const handler = createRouteGroupHandler('groups', {
  'GET /api/v2/groups': listGroupsRoute,
  // Every live group is assignable: Relaydesk has no private-group visibility rules yet.
  'GET /api/v2/groups/assignable': listGroupsRoute,

  'POST /api/v2/groups': async (request) => {
    const { group: input } = parseBody(request, groupBody);
    if (!input.name) throw ValidationError.field('name', 'Name: cannot be blank', 'BlankValue');
    const group = await createGroup({ ...input, name: input.name }, nowTimestamp());
    return created({ group: groupSerializer(request)(group) });
  },

  'GET /api/v2/groups/{id}': async (request) =>
    ok({ group: groupSerializer(request)(await getLiveGroup(idParam(request))) }),

  'PUT /api/v2/groups/{id}': async (request) => {
    const { group: changes } = parseBody(request, groupBody);
    return ok({
      group: groupSerializer(request)(await updateGroup(idParam(request), changes, nowTimestamp())),
    });
  },

  'DELETE /api/v2/groups/{id}': async (request) => {
    await deleteGroup(idParam(request), nowTimestamp());
    return noContent();
  },

  'GET /api/v2/group_memberships': async (request) =>
    ok(
      pageEnvelope(
        request,
        'group_memberships',
        await listGroupMemberships(pageRequestOf(request)),
        membershipSerializer(request),
      ),
    ),

  'POST /api/v2/group_memberships': async (request) => {
    const { group_membership: input } = parseBody(request, groupMembershipBody);
    const membership = await addGroupMember(input, nowTimestamp());
    return created({ group_membership: membershipSerializer(request)(membership) });
  },

  'GET /api/v2/group_memberships/{id}': async (request) => {
    const membership = await getGroupMembership(idParam(request));
    if (!membership) throw new NotFoundError();
    return ok({ group_membership: membershipSerializer(request)(membership) });
  },

  'DELETE /api/v2/group_memberships/{id}': async (request) => {
    await removeGroupMember(idParam(request));
    return noContent();
  },

  'GET /api/v2/groups/{id}/memberships': async (request) => {
    const group = await getLiveGroup(idParam(request));
    const page = await listMembershipsOfGroup(group.id, pageRequestOf(request));
    return ok(pageEnvelope(request, 'group_memberships', page, membershipSerializer(request)));
  },

  'GET /api/v2/users/{id}/group_memberships': async (request) => {
    const userId = idParam(request);
    if (!(await getUser(userId))) throw new NotFoundError();
    const page = await listMembershipsOfUser(userId, pageRequestOf(request));
    return ok(pageEnvelope(request, 'group_memberships', page, membershipSerializer(request)));
  },
});
