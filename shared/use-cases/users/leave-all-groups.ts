/** Removes a user from every group (deleted users and agents demoted to end-user). */
import { allMemberships, deleteGroupMembership } from '../../store/directory/group-memberships.ts';

export const leaveAllGroups = async (userId: number): Promise<void> => {
  for (const membership of await allMemberships({ userId })) await deleteGroupMembership(membership);
};
