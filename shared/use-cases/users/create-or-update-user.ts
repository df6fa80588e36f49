/**
 * POST /users/create_or_update: the user matching the given email, else the given external id, is
 * updated with the fields given (`created:false`, answered 200); otherwise a user is created (201).
 */
import type { User } from '../../domain/directory/user.ts';
import type { Actor } from '../../domain/directory/user-policy.ts';
import { findUserByEmail, findUserByExternalId } from '../../store/directory/users.ts';
import { type CreateUserInput, createUser } from './create-user.ts';
import { updateUser } from './update-user.ts';

export const createOrUpdateUser = async (
  input: CreateUserInput,
  now: string,
  actor: Actor,
): Promise<{ user: User; created: boolean }> => {
  const existing =
    (input.email ? await findUserByEmail(input.email) : undefined) ??
    (input.external_id ? await findUserByExternalId(input.external_id) : undefined);
  if (existing) return { user: await updateUser(existing.id, input, now, actor), created: false };
  return { user: await createUser(input, now, actor), created: true };
};
