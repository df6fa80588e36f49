/** Group memberships on the wire: Zendesk's GroupMembershipObject. */
import type { GroupMembership } from '../../domain/directory/group-membership.ts';

export const serializeGroupMembership = (
  membership: GroupMembership,
  publicUrl: string,
): Record<string, unknown> => ({
  id: membership.id,
  url: `${publicUrl}/api/v2/group_memberships/${membership.id}.json`,
  user_id: membership.user_id,
  group_id: membership.group_id,
  default: membership.default,
  created_at: membership.created_at,
  updated_at: membership.updated_at,
});
