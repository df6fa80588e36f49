/** Users as Zendesk models them: one primary email identity, a role, an optional default organization. */
import type { Role } from '../../../infra/topology.ts';

export interface User {
  id: number;
  name: string;
  /** Normalised (trimmed, lower-cased) primary email identity, or null for users without one. */
  email: string | null;
  role: Role;
  organization_id: number | null;
  default_group_id: number | null;
  phone: string | null;
  external_id: string | null;
  alias: string | null;
  details: string | null;
  notes: string | null;
  signature: string | null;
  time_zone: string;
  locale: string;
  tags: string[];
  user_fields: Record<string, unknown>;
  /** False once deleted: the user can no longer sign in and drops out of lists. */
  active: boolean;
  suspended: boolean;
  verified: boolean;
  /**
   * Set when mail to `address` bounced permanently or drew a complaint. It names the address so that a
   * later change of email makes the user deliverable again. Missing on users stored before it existed.
   */
  email_undeliverable?: EmailUndeliverable | null;
  created_at: string;
  updated_at: string;
  /** Optimistic-locking version; every update is conditional on it. */
  version: number;
}

export interface EmailUndeliverable {
  address: string;
  reason: string;
  at: string;
}

/** Whether the user's current email is known to be undeliverable (a bounce or complaint named it). */
export const emailUndeliverable = (user: Pick<User, 'email' | 'email_undeliverable'>): boolean =>
  user.email !== null && user.email_undeliverable?.address === user.email;

/** Emails are compared as bare, lower-cased addr-specs, so `Ann@Example.COM` and `ann@example.com` are one user. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const emailDomain = (email: string): string => email.slice(email.lastIndexOf('@') + 1);

export const isStaff = (user: Pick<User, 'role'>): boolean => user.role === 'admin' || user.role === 'agent';

/** The display name a new user gets when only an email is known: its local part. */
export const nameFromEmail = (email: string): string => email.slice(0, email.indexOf('@')) || email;

export interface NewUser {
  name: string;
  email: string | null;
  role: Role;
  organization_id?: number | null;
  default_group_id?: number | null;
  phone?: string | null;
  external_id?: string | null;
  alias?: string | null;
  details?: string | null;
  notes?: string | null;
  signature?: string | null;
  time_zone?: string;
  locale?: string;
  tags?: string[];
  user_fields?: Record<string, unknown>;
  verified?: boolean;
}

export const buildUser = (input: NewUser, id: number, now: string): User => ({
  id,
  name: input.name,
  email: input.email === null ? null : normalizeEmail(input.email),
  role: input.role,
  organization_id: input.organization_id ?? null,
  default_group_id: input.default_group_id ?? null,
  phone: input.phone ?? null,
  external_id: input.external_id ?? null,
  alias: input.alias ?? null,
  details: input.details ?? null,
  notes: input.notes ?? null,
  signature: input.signature ?? null,
  time_zone: input.time_zone ?? 'UTC',
  locale: input.locale ?? 'en-US',
  tags: input.tags ?? [],
  user_fields: input.user_fields ?? {},
  active: true,
  suspended: false,
  verified: input.verified ?? false,
  created_at: now,
  updated_at: now,
  version: 1,
});
