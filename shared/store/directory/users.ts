/** Users in the directory table, with their email and external id claimed uniquely. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../../../infra/topology.ts';
import type { User } from '../../domain/directory/user.ts';
import { type DomainError, UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import { batchGetItems } from '../batch-get.ts';
import { allocateId } from '../counters.ts';
import { documentClient } from '../dynamo.ts';
import { fromItem, type Item, toItem } from '../items.ts';
import { type Page, type PageRequest, queryPage } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';
import { type LabelledItem, TransactionConflict, writeTransaction } from '../transactions.ts';
import { claimChanges, claimKey } from '../unique-claims.ts';

const table = () => physicalTableName('directory');
const EMAIL = 'USER_EMAIL';
const EXTERNAL_ID = 'USER_EXTERNAL_ID';

const userKey = (id: number) => ({ pk: `USER#${id}`, sk: 'USER' });

const userItem = (user: User): Item =>
  toItem(
    user,
    { ...userKey(user.id), kind: user.active ? 'user' : 'deleted_user' },
    {
      id: user.id,
      gsi_organization_id: user.active ? user.organization_id : null,
    },
  );

export const allocateUserId = () => allocateId('directory', 'user');

export const getUser = async (id: number): Promise<User | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: userKey(id) }));
  return result.Item ? fromItem<User>(result.Item) : undefined;
};

export const getUsers = async (ids: readonly number[]): Promise<User[]> => {
  const items = await batchGetItems(table(), [...new Set(ids)].map(userKey));
  return items.map((item) => fromItem<User>(item)).sort((a, b) => a.id - b.id);
};

const findByClaim = async (namespace: string, value: string): Promise<User | undefined> => {
  const claim = await documentClient().send(
    new GetCommand({ TableName: table(), Key: claimKey(namespace, value) }),
  );
  const ownerId = claim.Item?.owner_id;
  return typeof ownerId === 'number' ? getUser(ownerId) : undefined;
};

export const findUserByEmail = (email: string) => findByClaim(EMAIL, email.trim().toLowerCase());
export const findUserByExternalId = (externalId: string) =>
  findByClaim(EXTERNAL_ID, externalId.toLowerCase());

const uniquenessError = (labels: string[], user: User): DomainError => {
  if (labels.includes('email')) {
    return ValidationError.field(
      'email',
      `Email: ${user.email} is already being used by another user`,
      'DuplicateValue',
    );
  }
  if (labels.includes('external_id')) {
    return ValidationError.field(
      'external_id',
      `External: ${user.external_id} has already been taken`,
      'DuplicateValue',
    );
  }
  return new UpdateConflictError();
};

const claims = (before: User | undefined, after: User): LabelledItem[] => [
  ...claimChanges(
    table(),
    EMAIL,
    before?.active ? before.email : null,
    after.active ? after.email : null,
    after.id,
  ).map((item) => ({ label: 'email', item })),
  ...claimChanges(
    table(),
    EXTERNAL_ID,
    before?.active ? (before.external_id?.toLowerCase() ?? null) : null,
    after.active ? (after.external_id?.toLowerCase() ?? null) : null,
    after.id,
  ).map((item) => ({ label: 'external_id', item })),
];

export const createUser = async (user: User): Promise<User> => {
  try {
    await writeTransaction([
      {
        label: 'version',
        item: {
          Put: { TableName: table(), Item: userItem(user), ConditionExpression: 'attribute_not_exists(pk)' },
        },
      },
      ...claims(undefined, user),
    ]);
  } catch (error) {
    if (error instanceof TransactionConflict) throw uniquenessError(error.labels, user);
    throw error;
  }
  return user;
};

/** Writes `next` over `previous` if nobody changed it meanwhile; emails and external ids stay unique. */
export const replaceUser = async (previous: User, next: User): Promise<User> => {
  const stored = { ...next, version: previous.version + 1 };
  try {
    await writeTransaction([
      {
        label: 'version',
        item: {
          Put: {
            TableName: table(),
            Item: userItem(stored),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': previous.version },
          },
        },
      },
      ...claims(previous, stored),
    ]);
  } catch (error) {
    if (error instanceof TransactionConflict) throw uniquenessError(error.labels, stored);
    throw error;
  }
  return stored;
};

const listQuery = (indexName: string, partitionKeyName: string, partitionKeyValue: string | number) => ({
  tableName: table(),
  indexName,
  partitionKeyName,
  partitionKeyValue,
  sortKeyName: 'id',
});

/** Active users in id order, optionally only those with one of `roles` (Zendesk's `role`/`role[]`). */
export const listUsers = (page: PageRequest, filter: { roles?: readonly Role[] } = {}): Promise<Page<User>> =>
  queryPage(
    {
      ...listQuery('byKind', 'kind', 'user'),
      ...(filter.roles?.length
        ? {
            filter: {
              FilterExpression: `#role IN (${filter.roles.map((_, index) => `:role${index}`).join(', ')})`,
              ExpressionAttributeNames: { '#role': 'role' },
              ExpressionAttributeValues: Object.fromEntries(
                filter.roles.map((role, index) => [`:role${index}`, role]),
              ),
            },
          }
        : {}),
    },
    page,
    (item) => fromItem<User>(item),
  );

export const listUsersByOrganization = (organizationId: number, page: PageRequest): Promise<Page<User>> =>
  queryPage(listQuery('byOrganization', 'gsi_organization_id', organizationId), page, (item) =>
    fromItem<User>(item),
  );
