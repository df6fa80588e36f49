/**
 * The requester of a new ticket, named by email (zendesk-api.md §14.3): an existing user is returned
 * unchanged (never updated); otherwise a new, unverified end-user is created, named as given or after
 * the email's local part, in the organization owning the email's domain.
 */
import { nameFromEmail, type User } from '../../domain/directory/user.ts';
import { validEmail } from '../../domain/directory/user-policy.ts';
import { ValidationError } from '../../domain/errors.ts';
import { findUserByEmail } from '../../store/directory/users.ts';
import { createUser } from './create-user.ts';

export const findOrCreateUserByEmail = async (
  input: { email: string; name?: string },
  now: string,
): Promise<User> => {
  const email = validEmail(input.email);
  const existing = await findUserByEmail(email);
  if (existing) return existing;
  try {
    return await createUser(
      { name: input.name?.trim() || nameFromEmail(email), email, role: 'end-user', verified: false },
      now,
    );
  } catch (error) {
    // Someone created the same user between our read and our write: theirs is the one.
    if (error instanceof ValidationError && error.details.email) {
      const winner = await findUserByEmail(email);
      if (winner) return winner;
    }
    throw error;
  }
};
