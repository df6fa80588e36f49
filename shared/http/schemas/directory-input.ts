/**
 * User, organization, group, membership and API token bodies as Zendesk clients send them. Unknown and
 * read-only fields (`id`, `url`, `created_at`, ...) are ignored, so a record read from the API can be
 * sent back; known fields of the wrong type are a 422 naming the field.
 */
import * as z from 'zod';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().max(max);
const nullableText = (max: number) => text(max).nullable();
/** Zendesk accepts numbers where it stores external ids as strings. */
const externalId = z.union([z.string().trim().min(1).max(255), z.number().transform(String)]).nullable();
const tags = z.array(z.string().max(80)).max(500);

export const userInput = z.object({
  name: text(255).optional(),
  email: z.string().trim().max(254).nullable().optional(),
  role: z.enum(['end-user', 'agent', 'admin']).optional(),
  organization_id: id.nullable().optional(),
  default_group_id: id.nullable().optional(),
  phone: nullableText(64).optional(),
  external_id: externalId.optional(),
  alias: nullableText(255).optional(),
  details: nullableText(65_535).optional(),
  notes: nullableText(65_535).optional(),
  signature: nullableText(65_535).optional(),
  time_zone: text(64).optional(),
  locale: text(16).optional(),
  tags: tags.optional(),
  user_fields: z.record(z.string(), z.unknown()).optional(),
  verified: z.boolean().optional(),
  suspended: z.boolean().optional(),
});

export const userBody = z.object({ user: userInput });

export const organizationInput = z.object({
  name: text(255).optional(),
  details: nullableText(65_535).optional(),
  notes: nullableText(65_535).optional(),
  external_id: externalId.optional(),
  domain_names: z.array(z.string().max(253)).max(50).optional(),
  group_id: id.nullable().optional(),
  shared_tickets: z.boolean().optional(),
  shared_comments: z.boolean().optional(),
  tags: tags.optional(),
  organization_fields: z.record(z.string(), z.unknown()).optional(),
});

export const organizationBody = z.object({ organization: organizationInput });

export const groupInput = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  description: text(1024).optional(),
  default: z.boolean().optional(),
  is_public: z.boolean().optional(),
});

export const groupBody = z.object({ group: groupInput });

export const groupMembershipBody = z.object({
  group_membership: z.object({ user_id: id, group_id: id, default: z.boolean().optional() }),
});

export const apiTokenBody = z.object({
  api_token: z.object({ description: z.string().trim().max(255).default('') }),
});
