/**
 * Creating a user (POST /users, create_or_update, and tickets whose requester is new).
 *
 * Primary course: 1. the role defaults to end-user; only admins create agents and admins; 2. the name
 * is required and the email, when given, must be an address (stored lower-cased); 3. an explicit
 * organization must exist; without one, an end-user joins the organization owning their email's
 * domain; 4. the user is written with its email and external id claimed, so a duplicate (in any
 * letter case) is a 422 on `email` and nothing is written.
 */
import type { Role } from '../../../infra/topology.ts';
import { buildUser, emailDomain, type User } from '../../domain/directory/user.ts';
import {
  type Actor,
  assertMayCreate,
  requireName,
  type UserChanges,
  validEmail,
} from '../../domain/directory/user-policy.ts';
import { ValidationError } from '../../domain/errors.ts';
import { normalizeTags } from '../../domain/tags.ts';
import { findOrganizationIdByDomain, getOrganization } from '../../store/directory/organizations.ts';
import { allocateUserId, createUser as insertUser } from '../../store/directory/users.ts';
import { directoryFieldValues } from '../fields/check-field-values.ts';

export type CreateUserInput = UserChanges & { name?: string; role?: Role };

/** The organization a new user belongs to: the one named, or for end-users the one owning their domain. */
export const organizationForNewUser = async (
  organizationId: number | null | undefined,
  role: Role,
  email: string | null,
): Promise<number | null> => {
  if (organizationId !== undefined && organizationId !== null) {
    if (!(await getOrganization(organizationId))) {
      throw ValidationError.field(
        'organization_id',
        `Organization: ${organizationId} does not exist`,
        'InvalidValue',
      );
    }
    return organizationId;
  }
  if (organizationId === null || role !== 'end-user' || !email) return null;
  return (await findOrganizationIdByDomain(emailDomain(email))) ?? null;
};

/** Creates a user as `actor` would (role rules apply), or as the system when `actor` is undefined. */
export const createUser = async (input: CreateUserInput, now: string, actor?: Actor): Promise<User> => {
  const role = input.role ?? 'end-user';
  assertMayCreate(actor, role);
  const name = requireName(input.name);
  const email = input.email ? validEmail(input.email) : null;
  const organizationId = await organizationForNewUser(input.organization_id, role, email);
  const userFields = await directoryFieldValues('user_field', input.user_fields);
  const user = buildUser(
    {
      ...input,
      ...(userFields ? { user_fields: userFields } : {}),
      name,
      email,
      role,
      organization_id: organizationId,
      tags: normalizeTags(input.tags ?? []),
    },
    await allocateUserId(),
    now,
  );
  return insertUser({ ...user, suspended: input.suspended ?? false });
};
