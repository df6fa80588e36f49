/**
 * Group memberships in the directory table, listed per group (byGroup) and per user (byUser). A claim
 * keyed by group and user keeps a user in a group at most once, and answers "is this agent a member?"
 * with a single GetItem.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { GroupMembership } from '../../domain/directory/group-membership.ts';
import { ValidationError } from '../../domain/errors.ts';
import { allocateId } from '../counters.ts';
import { documentClient } from '../dynamo.ts';
import { fromItem, type Item, toItem } from '../items.ts';
import { type Page, type PageRequest, queryPage } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';
import { TransactionConflict, writeTransaction } from '../transactions.ts';
import { claimItem, claimKey, releaseItem } from '../unique-claims.ts';

const table = () => physicalTableName('directory');
const MEMBER = 'GROUP_MEMBER';
const KIND = 'group_membership';

const membershipKey = (id: number) => ({ pk: `GROUP_MEMBERSHIP#${id}`, sk: 'GROUP_MEMBERSHIP' });
const memberValue = (groupId: number, userId: number) => `${groupId}#${userId}`;
const membershipItem = (membership: GroupMembership): Item =>
  toItem(
    membership,
    { ...membershipKey(membership.id), kind: KIND },
    { id: membership.id, gsi_user_id: membership.user_id, gsi_group_id: membership.group_id },
  );

export const allocateGroupMembershipId = () => allocateId('directory', 'group_membership');

export const getGroupMembership = async (id: number): Promise<GroupMembership | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: membershipKey(id) }));
  return result.Item ? fromItem<GroupMembership>(result.Item) : undefined;
};

/** Whether the user belongs to the group: one GetItem on the membership's uniqueness claim. */
export const isGroupMember = async (userId: number, groupId: number): Promise<boolean> => {
  const claim = await documentClient().send(
    new GetCommand({ TableName: table(), Key: claimKey(MEMBER, memberValue(groupId, userId)) }),
  );
  return claim.Item !== undefined;
};

export const createGroupMembership = async (membership: GroupMembership): Promise<GroupMembership> => {
  try {
    await writeTransaction([
      {
        label: 'membership',
        item: {
          Put: {
            TableName: table(),
            Item: membershipItem(membership),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      {
        label: 'member',
        item: claimItem(table(), MEMBER, memberValue(membership.group_id, membership.user_id), membership.id),
      },
    ]);
  } catch (error) {
    if (error instanceof TransactionConflict && error.labels.includes('member')) {
      throw ValidationError.field('user_id', 'User: is already a member of this group', 'DuplicateValue');
    }
    throw error;
  }
  return membership;
};

export const deleteGroupMembership = async (membership: GroupMembership): Promise<void> => {
  await writeTransaction([
    { label: 'membership', item: { Delete: { TableName: table(), Key: membershipKey(membership.id) } } },
    {
      label: 'member',
      item: releaseItem(table(), MEMBER, memberValue(membership.group_id, membership.user_id), membership.id),
    },
  ]);
};

const listBy = (indexName: string, partitionKeyName: string, partitionKeyValue: string | number) => ({
  tableName: table(),
  indexName,
  partitionKeyName,
  partitionKeyValue,
  sortKeyName: 'id',
});
const read = (item: Item) => fromItem<GroupMembership>(item);

export const listGroupMemberships = (page: PageRequest): Promise<Page<GroupMembership>> =>
  queryPage(listBy('byKind', 'kind', KIND), page, read);

export const listMembershipsOfGroup = (groupId: number, page: PageRequest): Promise<Page<GroupMembership>> =>
  queryPage(listBy('byGroup', 'gsi_group_id', groupId), page, read);

export const listMembershipsOfUser = (userId: number, page: PageRequest): Promise<Page<GroupMembership>> =>
  queryPage(listBy('byUser', 'gsi_user_id', userId), page, read);

const ALL: PageRequest = { mode: 'cursor', size: 100, descending: false };

/** Every membership in one index partition (for cascades: a deleted group, user or demoted agent). */
export const allMemberships = async (
  scope: { groupId: number } | { userId: number },
): Promise<GroupMembership[]> => {
  const memberships: GroupMembership[] = [];
  let page: PageRequest = ALL;
  for (;;) {
    const result: Page<GroupMembership> =
      'groupId' in scope
        ? await listMembershipsOfGroup(scope.groupId, page)
        : await listMembershipsOfUser(scope.userId, page);
    memberships.push(...result.items);
    if (!result.hasMore || !result.afterCursor) return memberships;
    page = { ...ALL, after: result.afterCursor };
  }
};
