/**
 * Creating, updating and deleting organizations. Uniqueness (name, external id, each domain) is the
 * store's claims; a group named as the organization's default must exist. Deleting an organization
 * clears it from its users, as Zendesk does, rather than deleting them.
 */
import {
  applyOrganizationChanges,
  buildOrganization,
  type Organization,
  type OrganizationChanges,
} from '../../domain/directory/organization.ts';
import { NotFoundError, UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import { getGroup } from '../../store/directory/groups.ts';
import {
  allocateOrganizationId,
  getOrganization,
  createOrganization as insertOrganization,
  deleteOrganization as removeOrganization,
  replaceOrganization,
} from '../../store/directory/organizations.ts';
import { getUser, listUsersByOrganization, replaceUser } from '../../store/directory/users.ts';
import type { PageRequest } from '../../store/pagination.ts';
import { directoryFieldValues } from '../fields/check-field-values.ts';

const assertGroupExists = async (groupId: number | null | undefined): Promise<void> => {
  if (groupId === undefined || groupId === null) return;
  const group = await getGroup(groupId);
  if (!group || group.deleted) {
    throw ValidationError.field('group_id', `Group: ${groupId} does not exist`, 'InvalidValue');
  }
};

export const createOrganization = async (
  input: OrganizationChanges & { name: string },
  now: string,
): Promise<Organization> => {
  const organizationFields = await directoryFieldValues('organization_field', input.organization_fields);
  const organization = buildOrganization(
    { ...input, ...(organizationFields ? { organization_fields: organizationFields } : {}) },
    await allocateOrganizationId(),
    now,
  );
  await assertGroupExists(organization.group_id);
  return insertOrganization(organization);
};

export const updateOrganization = async (
  id: number,
  changes: OrganizationChanges,
  now: string,
): Promise<Organization> => {
  const organizationFields = await directoryFieldValues('organization_field', changes.organization_fields);
  const checked = organizationFields ? { ...changes, organization_fields: organizationFields } : changes;
  for (let attempt = 1; ; attempt++) {
    const organization = await getOrganization(id);
    if (!organization) throw new NotFoundError();
    const next = applyOrganizationChanges(organization, checked, now);
    if (next.group_id !== organization.group_id) await assertGroupExists(next.group_id);
    try {
      return await replaceOrganization(organization, next);
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === 3) throw error;
    }
  }
};

/** Clears `organization_id` on one user, re-reading it if it changed meanwhile. */
const detachUser = async (userId: number, organizationId: number, now: string): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    const user = await getUser(userId);
    if (!user || user.organization_id !== organizationId) return;
    try {
      await replaceUser(user, { ...user, organization_id: null, updated_at: now });
      return;
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === 3) throw error;
    }
  }
};

export const deleteOrganization = async (id: number, now: string): Promise<void> => {
  const organization = await getOrganization(id);
  if (!organization) throw new NotFoundError();
  await removeOrganization(organization);
  // The organization is gone first, so no new user can join it while we detach the existing ones.
  const firstPage: PageRequest = { mode: 'cursor', size: 100, descending: false };
  for (;;) {
    // Detached users leave the index, so the first page always holds the remaining ones.
    const page = await listUsersByOrganization(id, firstPage);
    for (const user of page.items) await detachUser(user.id, id, now);
    if (!page.hasMore) return;
  }
};
