/** Groups on the wire: Zendesk's GroupObject. */
import type { Group } from '../../domain/directory/group.ts';

export const groupUrl = (publicUrl: string, id: number): string => `${publicUrl}/api/v2/groups/${id}.json`;

export const serializeGroup = (group: Group, publicUrl: string): Record<string, unknown> => ({
  id: group.id,
  url: groupUrl(publicUrl, group.id),
  name: group.name,
  description: group.description,
  default: group.default,
  deleted: group.deleted,
  is_public: group.is_public,
  created_at: group.created_at,
  updated_at: group.updated_at,
});
