/**
 * Organizations: the companies end-users belong to. Names, external ids and email domains are unique
 * across the account (compared case-insensitively); a new end-user whose email domain an organization
 * lists joins it.
 */
import { ValidationError } from '../errors.ts';
import { normalizeTags } from '../tags.ts';

export interface Organization {
  id: number;
  name: string;
  details: string | null;
  notes: string | null;
  external_id: string | null;
  /** Lower-cased, without duplicates, in the order given. */
  domain_names: string[];
  group_id: number | null;
  shared_tickets: boolean;
  shared_comments: boolean;
  tags: string[];
  organization_fields: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface OrganizationChanges {
  name?: string;
  details?: string | null;
  notes?: string | null;
  external_id?: string | null;
  domain_names?: string[];
  group_id?: number | null;
  shared_tickets?: boolean;
  shared_comments?: boolean;
  tags?: string[];
  organization_fields?: Record<string, unknown>;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** `Example.COM ` → `example.com`; duplicates dropped; anything that is not a host name is a 422. */
export const normalizeDomainNames = (domains: readonly string[]): string[] => {
  const normalized = [...new Set(domains.map((domain) => domain.trim().toLowerCase()).filter(Boolean))];
  const invalid = normalized.filter((domain) => !DOMAIN.test(domain));
  if (invalid.length) {
    throw ValidationError.field(
      'domain_names',
      `Domain names: ${invalid.join(', ')} is not a valid domain name`,
      'InvalidValue',
    );
  }
  return normalized;
};

const requireName = (name: string): string => {
  const trimmed = name.trim();
  if (!trimmed) throw ValidationError.field('name', 'Name: cannot be blank', 'BlankValue');
  return trimmed;
};

export const buildOrganization = (
  input: OrganizationChanges & { name: string },
  id: number,
  now: string,
): Organization => ({
  id,
  name: requireName(input.name),
  details: input.details ?? null,
  notes: input.notes ?? null,
  external_id: input.external_id ?? null,
  domain_names: normalizeDomainNames(input.domain_names ?? []),
  group_id: input.group_id ?? null,
  shared_tickets: input.shared_tickets ?? false,
  shared_comments: input.shared_comments ?? false,
  tags: normalizeTags(input.tags ?? []),
  organization_fields: input.organization_fields ?? {},
  created_at: now,
  updated_at: now,
  version: 1,
});

/** Applies the fields present in `changes`; `organization_fields` merges key by key, as in Zendesk. */
export const applyOrganizationChanges = (
  organization: Organization,
  changes: OrganizationChanges,
  now: string,
): Organization => ({
  ...organization,
  ...(changes.name !== undefined ? { name: requireName(changes.name) } : {}),
  ...(changes.details !== undefined ? { details: changes.details } : {}),
  ...(changes.notes !== undefined ? { notes: changes.notes } : {}),
  ...(changes.external_id !== undefined ? { external_id: changes.external_id } : {}),
  ...(changes.domain_names !== undefined ? { domain_names: normalizeDomainNames(changes.domain_names) } : {}),
  ...(changes.group_id !== undefined ? { group_id: changes.group_id } : {}),
  ...(changes.shared_tickets !== undefined ? { shared_tickets: changes.shared_tickets } : {}),
  ...(changes.shared_comments !== undefined ? { shared_comments: changes.shared_comments } : {}),
  ...(changes.tags !== undefined ? { tags: normalizeTags(changes.tags) } : {}),
  ...(changes.organization_fields !== undefined
    ? { organization_fields: { ...organization.organization_fields, ...changes.organization_fields } }
    : {}),
  updated_at: now,
});
