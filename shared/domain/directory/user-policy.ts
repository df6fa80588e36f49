/**
 * Who may do what to a user, and how changes apply: Zendesk's rules, pure. End-users see and edit only
 * themselves (a few profile fields, never their role); agents manage end-users but never roles; admins
 * manage everyone.
 */
import type { Role } from '../../../infra/topology.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import { normalizeTags } from '../tags.ts';
import { type NewUser, normalizeEmail, type User } from './user.ts';

/** The user performing an operation; `undefined` where the system acts on its own (mail, tickets). */
export interface Actor {
  userId: number;
  role: Role;
}

/** Writable user fields: those of a new user, all optional, plus suspension. */
export type UserChanges = Partial<NewUser> & { suspended?: boolean };

/** What an end-user may change on their own profile. */
export const SELF_SERVICE_FIELDS: readonly (keyof UserChanges)[] = ['name', 'phone', 'locale', 'time_zone'];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

export const isValidEmail = (email: string): boolean => EMAIL.test(email.trim());

/** The normalised email, or a 422 on `email` when it is not an address. */
export const validEmail = (email: string): string => {
  if (!isValidEmail(email)) {
    throw ValidationError.field('email', `Email: ${email} is not properly formatted`, 'InvalidFormat');
  }
  return normalizeEmail(email);
};

export const requireName = (name: string | undefined): string => {
  const trimmed = name?.trim();
  if (!trimmed) throw ValidationError.field('name', 'Name: cannot be blank', 'BlankValue');
  return trimmed;
};

/** Only admins create staff; agents create end-users. */
export const assertMayCreate = (actor: Actor | undefined, role: Role): void => {
  if (actor && role !== 'end-user' && actor.role !== 'admin') {
    throw new ForbiddenError('Only administrators may create agents and administrators');
  }
};

/** End-users see only themselves; staff see everyone. */
export const assertMayView = (actor: Actor, target: Pick<User, 'id'>): void => {
  if (actor.role === 'end-user' && actor.userId !== target.id) throw new ForbiddenError();
};

export const assertMayDelete = (actor: Actor, target: Pick<User, 'id'>): void => {
  if (actor.role !== 'admin') throw new ForbiddenError();
  if (actor.userId === target.id) throw new ForbiddenError('You cannot delete yourself');
};

/** Fields whose given value differs from the stored one (unchanged values are no change at all). */
export const changedFields = (user: User, changes: UserChanges): (keyof UserChanges)[] =>
  (Object.keys(changes) as (keyof UserChanges)[]).filter((field) => {
    const value = changes[field];
    if (value === undefined) return false;
    if (field === 'email') return (value === null ? null : normalizeEmail(value as string)) !== user.email;
    return JSON.stringify(value) !== JSON.stringify(user[field]);
  });

/**
 * The permission rules of an update. Sending back a field unchanged is always allowed, so clients
 * that round-trip a whole user object work for every role.
 */
export const assertMayUpdate = (actor: Actor | undefined, user: User, changes: UserChanges): void => {
  if (!actor || actor.role === 'admin') return;
  const changed = changedFields(user, changes);
  if (actor.role === 'end-user') {
    if (actor.userId !== user.id) throw new ForbiddenError();
    const forbidden = changed.filter((field) => !SELF_SERVICE_FIELDS.includes(field));
    if (forbidden.length) throw new ForbiddenError(`End users may not change ${forbidden.join(', ')}`);
    return;
  }
  // Agents: themselves and end-users, never a role.
  if (actor.userId !== user.id && user.role !== 'end-user') throw new ForbiddenError();
  if (changed.includes('role')) throw new ForbiddenError('Only administrators may change roles');
};

/** Applies the fields present in `changes` (validated); `user_fields` merge key by key, as in Zendesk. */
export const applyUserChanges = (user: User, changes: UserChanges, now: string): User => {
  const next: User = { ...user, updated_at: now };
  for (const field of changedFields(user, changes)) {
    switch (field) {
      case 'name':
        next.name = requireName(changes.name);
        break;
      case 'email':
        next.email = changes.email ? validEmail(changes.email) : null;
        break;
      case 'tags':
        next.tags = normalizeTags(changes.tags ?? []);
        break;
      case 'user_fields':
        next.user_fields = { ...user.user_fields, ...changes.user_fields };
        break;
      default:
        Object.assign(next, { [field]: changes[field] });
    }
  }
  return next;
};
