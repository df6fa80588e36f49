/**
 * Updating a user (PUT /users/{id}, and create_or_update on a match).
 *
 * Primary course: 1. read the user; 2. check the actor may make these changes (end-users: their own
 * profile fields; agents: end-users and themselves, never roles; admins: anything); 3. a new
 * organization must exist; 4. write conditionally on the version read (a concurrent change is retried
 * on the fresh record); a new email replaces the old identity and must be unique; 5. an agent demoted
 * to end-user leaves their groups.
 */
import type { User } from '../../domain/directory/user.ts';
import {
  type Actor,
  applyUserChanges,
  assertMayUpdate,
  changedFields,
  type UserChanges,
} from '../../domain/directory/user-policy.ts';
import { ForbiddenError, NotFoundError, UpdateConflictError } from '../../domain/errors.ts';
import { getUser, replaceUser } from '../../store/directory/users.ts';
import { directoryFieldValues } from '../fields/check-field-values.ts';
import { organizationForNewUser } from './create-user.ts';
import { leaveAllGroups } from './leave-all-groups.ts';

const ATTEMPTS = 3;

export const updateUser = async (
  id: number,
  changes: UserChanges,
  now: string,
  actor?: Actor,
): Promise<User> => {
  // End-users learn nothing about other users, not even whether they exist.
  if (actor?.role === 'end-user' && actor.userId !== id) throw new ForbiddenError();
  for (let attempt = 1; ; attempt++) {
    const user = await getUser(id);
    if (!user?.active) throw new NotFoundError();
    try {
      return await updateLoadedUser(user, changes, now, actor);
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === ATTEMPTS) throw error;
    }
  }
};

/** The update of a user already read (create_or_update has it at hand). */
export const updateLoadedUser = async (
  user: User,
  changes: UserChanges,
  now: string,
  actor?: Actor,
): Promise<User> => {
  assertMayUpdate(actor, user, changes);
  const userFields = await directoryFieldValues('user_field', changes.user_fields);
  const checked = userFields ? { ...changes, user_fields: userFields } : changes;
  const changed = changedFields(user, checked);
  if (!changed.length) return user;
  const next = applyUserChanges(user, checked, now);
  if (changed.includes('organization_id') && next.organization_id !== null) {
    await organizationForNewUser(next.organization_id, next.role, next.email);
  }
  const stored = await replaceUser(user, next);
  if (user.role !== 'end-user' && stored.role === 'end-user') await leaveAllGroups(stored.id);
  return stored;
};
