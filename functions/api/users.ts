/** The `users` route group: Zendesk's Users API (zendesk-api.md §3). Rules live in shared/use-cases/users. */
import type { Role } from '../../infra/topology.ts';
import { nowTimestamp } from '../../shared/domain/clock.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { InvalidRequestError, NotFoundError } from '../../shared/domain/errors.ts';
import { callerOf } from '../../shared/http/actor.ts';
import { type ApiRequest, created, ok } from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idListParam, idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { userBody } from '../../shared/http/schemas/directory-input.ts';
import { serializeUser } from '../../shared/http/serializers/user.ts';
import { listMembershipsOfGroup } from '../../shared/store/directory/group-memberships.ts';
import { getGroup } from '../../shared/store/directory/groups.ts';
import { getOrganization } from '../../shared/store/directory/organizations.ts';
import {
  findUserByExternalId,
  getUsers,
  listUsers,
  listUsersByOrganization,
} from '../../shared/store/directory/users.ts';
import { createOrUpdateUser } from '../../shared/use-cases/users/create-or-update-user.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { deleteUser } from '../../shared/use-cases/users/delete-user.ts';
import { findUsers, parseUserQuery } from '../../shared/use-cases/users/find-users.ts';
import { showUser } from '../../shared/use-cases/users/show-user.ts';
import { updateUser } from '../../shared/use-cases/users/update-user.ts';

const ROLES: readonly Role[] = ['end-user', 'agent', 'admin'];

const one = (request: ApiRequest, user: User) => ({ user: serializeUser(user, request.publicUrl) });
const many = (request: ApiRequest, users: User[]) => ({
  users: users.map((user) => serializeUser(user, request.publicUrl)),
});
const serializer = (request: ApiRequest) => (user: User) => serializeUser(user, request.publicUrl);

/** `role=agent`, `role[]=agent&role[]=admin` (Zendesk's list filter). */
const rolesOf = (request: ApiRequest): Role[] => {
  const roles = [...request.query.getAll('role'), ...request.query.getAll('role[]')].flatMap((value) =>
    value.split(','),
  );
  const unknown = roles.filter((role) => !ROLES.includes(role as Role));
  if (unknown.length) throw new InvalidRequestError(`role must be one of ${ROLES.join(', ')}`);
  return roles as Role[];
};

export const handler = createRouteGroupHandler('users', {
  'GET /api/v2/users/me': async (request) =>
    ok(one(request, await showUser(callerOf(request).userId, callerOf(request)))),

  'GET /api/v2/users': async (request) =>
    ok(
      pageEnvelope(
        request,
        'users',
        await listUsers(pageRequestOf(request), { roles: rolesOf(request) }),
        serializer(request),
      ),
    ),

  'POST /api/v2/users': async (request) => {
    const { user: input } = parseBody(request, userBody);
    const user = await createUser(input, nowTimestamp(), callerOf(request));
    return created(one(request, user));
  },

  'GET /api/v2/users/search': async (request) => {
    const externalId = request.query.get('external_id');
    const query = request.query.get('query');
    if (!externalId && !query) throw new InvalidRequestError('query or external_id is required');
    const users = await findUsers(
      externalId ? { by: 'external_id', value: externalId } : parseUserQuery(query ?? ''),
    );
    return ok({ ...many(request, users), next_page: null, previous_page: null, count: users.length });
  },

  'GET /api/v2/users/show_many': async (request) => {
    if (request.query.has('external_ids')) {
      const externalIds = (request.query.get('external_ids') ?? '').split(',').filter(Boolean).slice(0, 100);
      const found = await Promise.all(externalIds.map((externalId) => findUserByExternalId(externalId)));
      const users = found.filter((user): user is User => user !== undefined).sort((a, b) => a.id - b.id);
      return ok(many(request, users));
    }
    return ok(many(request, await getUsers(idListParam(request))));
  },

  'POST /api/v2/users/create_or_update': async (request) => {
    const { user: input } = parseBody(request, userBody);
    const result = await createOrUpdateUser(input, nowTimestamp(), callerOf(request));
    return result.created ? created(one(request, result.user)) : ok(one(request, result.user));
  },

  'GET /api/v2/users/{id}': async (request) =>
    ok(one(request, await showUser(idParam(request), callerOf(request)))),

  'PUT /api/v2/users/{id}': async (request) => {
    const { user: changes } = parseBody(request, userBody);
    return ok(one(request, await updateUser(idParam(request), changes, nowTimestamp(), callerOf(request))));
  },

  'DELETE /api/v2/users/{id}': async (request) =>
    ok(one(request, await deleteUser(idParam(request), nowTimestamp(), callerOf(request)))),

  'GET /api/v2/organizations/{id}/users': async (request) => {
    const organizationId = idParam(request);
    if (!(await getOrganization(organizationId))) throw new NotFoundError();
    const page = await listUsersByOrganization(organizationId, pageRequestOf(request));
    return ok(pageEnvelope(request, 'users', page, serializer(request)));
  },

  'GET /api/v2/groups/{id}/users': async (request) => {
    const groupId = idParam(request);
    const group = await getGroup(groupId);
    if (!group || group.deleted) throw new NotFoundError();
    const memberships = await listMembershipsOfGroup(groupId, pageRequestOf(request));
    const users = new Map((await getUsers(memberships.items.map((m) => m.user_id))).map((u) => [u.id, u]));
    const items = memberships.items.flatMap((membership) => users.get(membership.user_id) ?? []);
    return ok(pageEnvelope(request, 'users', { ...memberships, items }, serializer(request)));
  },
});
