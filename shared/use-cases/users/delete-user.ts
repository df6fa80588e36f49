/**
 * Deleting a user, Zendesk style: a soft delete. The user stays readable (active:false), leaves the
 * lists, its email and external id are freed for a new user, it can no longer authenticate (the
 * authorizer requires an active user), and it leaves its groups. Admins only, never themselves.
 */
import type { User } from '../../domain/directory/user.ts';
import { type Actor, assertMayDelete } from '../../domain/directory/user-policy.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { getUser, replaceUser } from '../../store/directory/users.ts';
import { leaveAllGroups } from './leave-all-groups.ts';

export const deleteUser = async (id: number, now: string, actor: Actor): Promise<User> => {
  const user = await getUser(id);
  if (!user?.active) throw new NotFoundError();
  assertMayDelete(actor, user);
  const deleted = await replaceUser(user, { ...user, active: false, updated_at: now });
  await leaveAllGroups(id);
  return deleted;
};
