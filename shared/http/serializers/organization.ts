/** Organizations on the wire: Zendesk's OrganizationObject. */
import type { Organization } from '../../domain/directory/organization.ts';

export const organizationUrl = (publicUrl: string, id: number): string =>
  `${publicUrl}/api/v2/organizations/${id}.json`;

export const serializeOrganization = (
  organization: Organization,
  publicUrl: string,
): Record<string, unknown> => ({
  id: organization.id,
  url: organizationUrl(publicUrl, organization.id),
  name: organization.name,
  details: organization.details,
  notes: organization.notes,
  external_id: organization.external_id,
  domain_names: organization.domain_names,
  group_id: organization.group_id,
  shared_tickets: organization.shared_tickets,
  shared_comments: organization.shared_comments,
  tags: organization.tags,
  organization_fields: organization.organization_fields,
  created_at: organization.created_at,
  updated_at: organization.updated_at,
});
