/** Reading one user: end-users may read only themselves (403 for anyone else, existing or not). */
import type { User } from '../../domain/directory/user.ts';
import { type Actor, assertMayView } from '../../domain/directory/user-policy.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { getUser } from '../../store/directory/users.ts';

export const showUser = async (id: number, actor: Actor): Promise<User> => {
  assertMayView(actor, { id });
  const user = await getUser(id);
  if (!user) throw new NotFoundError();
  return user;
};
