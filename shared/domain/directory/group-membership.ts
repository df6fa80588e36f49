/** An agent's membership of a group: tickets in a group may be assigned only to its members. */
import { ValidationError } from '../errors.ts';
import type { Group } from './group.ts';
import { isStaff, type User } from './user.ts';

export interface GroupMembership {
  id: number;
  user_id: number;
  group_id: number;
  /** The group tickets assigned directly to the agent fall into. */
  default: boolean;
  created_at: string;
  updated_at: string;
}

/** Only active agents and admins may join, and only groups that are not deleted. */
export const buildGroupMembership = (
  input: { user: User | undefined; group: Group | undefined; default?: boolean; isFirstOfUser: boolean },
  id: number,
  now: string,
): GroupMembership => {
  const { user, group } = input;
  if (!user?.active) {
    throw ValidationError.field('user_id', 'User: does not exist', 'InvalidValue');
  }
  if (!isStaff(user)) {
    throw ValidationError.field('user_id', 'User: only agents can be members of a group', 'InvalidValue');
  }
  if (!group || group.deleted) {
    throw ValidationError.field('group_id', 'Group: does not exist', 'InvalidValue');
  }
  return {
    id,
    user_id: user.id,
    group_id: group.id,
    // A user's first membership is their default, as in Zendesk.
    default: input.default ?? input.isFirstOfUser,
    created_at: now,
    updated_at: now,
  };
};
