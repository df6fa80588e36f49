/**
 * Checks the people and groups a ticket write names, and turns requester/collaborator emails into
 * users, before anything is written: a bad reference is a 422 naming the field, and changes nothing.
 */
import type { User } from '../../domain/directory/user.ts';
import { isStaff } from '../../domain/directory/user.ts';
import { ValidationError } from '../../domain/errors.ts';
import { isGroupMember } from '../../store/directory/group-memberships.ts';
import { getGroup } from '../../store/directory/groups.ts';
import { getUser } from '../../store/directory/users.ts';
import { findOrCreateUserByEmail } from '../users/find-or-create-user.ts';

/** A person named by id, by email (found or created), or as `{name, email}`. */
export type PersonReference = number | string | { name?: string | undefined; email: string };

export const activeUser = async (id: number, field: string, label: string): Promise<User> => {
  const user = await getUser(id);
  if (!user?.active) throw ValidationError.field(field, `${label}: user ${id} does not exist`);
  return user;
};

export const resolvePerson = async (
  reference: PersonReference,
  field: string,
  now: string,
): Promise<User> => {
  if (typeof reference === 'number') return activeUser(reference, field, 'User');
  const input = typeof reference === 'string' ? { email: reference } : reference;
  return findOrCreateUserByEmail({ email: input.email, ...(input.name ? { name: input.name } : {}) }, now);
};

export const resolveAssignee = async (
  assigneeId: number | null | undefined,
): Promise<User | null | undefined> => {
  if (assigneeId === undefined || assigneeId === null) return assigneeId;
  const assignee = await activeUser(assigneeId, 'assignee_id', 'Assignee');
  if (!isStaff(assignee)) throw ValidationError.field('assignee_id', 'Assignee: must be an agent');
  return assignee;
};

export const checkGroup = async (groupId: number | null | undefined): Promise<void> => {
  if (groupId === undefined || groupId === null) return;
  const group = await getGroup(groupId);
  if (!group || group.deleted)
    throw ValidationError.field('group_id', `Group: group ${groupId} does not exist`);
};

/** Zendesk: an assignee must belong to the ticket's group. */
export const checkAssigneeInGroup = async (
  assigneeId: number | null,
  groupId: number | null,
): Promise<void> => {
  if (assigneeId === null || groupId === null) return;
  if (!(await isGroupMember(assigneeId, groupId))) {
    throw ValidationError.field('assignee_id', 'Assignee: is not a member of the group');
  }
};

/** A ticket's organization must be its requester's; by default it is. */
export const organizationFor = (requester: User, requested: number | null | undefined): number | null => {
  if (requested === undefined) return requester.organization_id;
  if (requested !== null && requested !== requester.organization_id) {
    throw ValidationError.field(
      'organization_id',
      "Organization: must be one of the requester's organizations",
    );
  }
  return requested;
};
