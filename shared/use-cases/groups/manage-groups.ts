/**
 * Groups and their memberships. Groups are soft-deleted (tickets may still name them); a deleted
 * group loses its members. Only agents and admins can be members, each at most once per group.
 */
import { buildGroup, type Group } from '../../domain/directory/group.ts';
import { buildGroupMembership, type GroupMembership } from '../../domain/directory/group-membership.ts';
import { NotFoundError, UpdateConflictError } from '../../domain/errors.ts';
import {
  allMemberships,
  allocateGroupMembershipId,
  createGroupMembership,
  deleteGroupMembership,
  getGroupMembership,
  listMembershipsOfUser,
} from '../../store/directory/group-memberships.ts';
import {
  allocateGroupId,
  getGroup,
  createGroup as insertGroup,
  replaceGroup,
} from '../../store/directory/groups.ts';
import { getUser } from '../../store/directory/users.ts';

export interface GroupChanges {
  name?: string;
  description?: string;
  default?: boolean;
  is_public?: boolean;
}

export const createGroup = async (input: GroupChanges & { name: string }, now: string): Promise<Group> =>
  insertGroup(buildGroup(input, await allocateGroupId(), now));

const liveGroup = async (id: number): Promise<Group> => {
  const group = await getGroup(id);
  if (!group || group.deleted) throw new NotFoundError();
  return group;
};

const changeGroup = async (id: number, change: (group: Group) => Group): Promise<Group> => {
  for (let attempt = 1; ; attempt++) {
    const group = await liveGroup(id);
    try {
      return await replaceGroup(group, change(group));
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === 3) throw error;
    }
  }
};

export const updateGroup = (id: number, changes: GroupChanges, now: string): Promise<Group> =>
  changeGroup(id, (group) => ({
    ...group,
    ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    updated_at: now,
  }));

export const deleteGroup = async (id: number, now: string): Promise<void> => {
  await changeGroup(id, (group) => ({ ...group, deleted: true, updated_at: now }));
  for (const membership of await allMemberships({ groupId: id })) await deleteGroupMembership(membership);
};

export const getLiveGroup = liveGroup;

export const addGroupMember = async (
  input: { user_id: number; group_id: number; default?: boolean },
  now: string,
): Promise<GroupMembership> => {
  const [user, group, existing] = await Promise.all([
    getUser(input.user_id),
    getGroup(input.group_id),
    listMembershipsOfUser(input.user_id, { mode: 'cursor', size: 1, descending: false }),
  ]);
  const membership = buildGroupMembership(
    {
      user,
      group,
      isFirstOfUser: existing.items.length === 0,
      ...(input.default !== undefined ? { default: input.default } : {}),
    },
    await allocateGroupMembershipId(),
    now,
  );
  return createGroupMembership(membership);
};

export const removeGroupMember = async (membershipId: number): Promise<void> => {
  const membership = await getGroupMembership(membershipId);
  if (!membership) throw new NotFoundError();
  await deleteGroupMembership(membership);
};
