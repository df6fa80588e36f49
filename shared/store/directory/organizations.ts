/**
 * Organizations in the directory table. Name, external id and each email domain are claimed uniquely
 * (lower-cased) in the same transaction as the record, so two organizations can never share one.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Organization } from '../../domain/directory/organization.ts';
import { type DomainError, UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import { batchGetItems } from '../batch-get.ts';
import { allocateId } from '../counters.ts';
import { documentClient } from '../dynamo.ts';
import { fromItem, type Item, toItem } from '../items.ts';
import { type Page, type PageRequest, queryPage } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';
import { type LabelledItem, TransactionConflict, writeTransaction } from '../transactions.ts';
import { claimChanges, claimItem, claimKey, releaseItem } from '../unique-claims.ts';

const table = () => physicalTableName('directory');
const NAME = 'ORG_NAME';
const EXTERNAL_ID = 'ORG_EXTERNAL_ID';
const DOMAIN = 'ORG_DOMAIN';

const organizationKey = (id: number) => ({ pk: `ORGANIZATION#${id}`, sk: 'ORGANIZATION' });
const organizationItem = (organization: Organization): Item =>
  toItem(
    organization,
    { ...organizationKey(organization.id), kind: 'organization' },
    { id: organization.id },
  );

const lower = (value: string | null): string | null => value?.toLowerCase() ?? null;

export const allocateOrganizationId = () => allocateId('directory', 'organization');

export const getOrganization = async (id: number): Promise<Organization | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: organizationKey(id) }),
  );
  return result.Item ? fromItem<Organization>(result.Item) : undefined;
};

/** Organizations by id (missing ids are skipped), in id order: for `show_many` and sideloads. */
export const getOrganizations = async (ids: readonly number[]): Promise<Organization[]> =>
  (await batchGetItems(table(), [...new Set(ids)].map(organizationKey)))
    .map((item) => fromItem<Organization>(item))
    .sort((a, b) => a.id - b.id);

const ownerOfClaim = async (namespace: string, value: string): Promise<number | undefined> => {
  const claim = await documentClient().send(
    new GetCommand({ TableName: table(), Key: claimKey(namespace, value.toLowerCase()) }),
  );
  const ownerId = claim.Item?.owner_id;
  return typeof ownerId === 'number' ? ownerId : undefined;
};

/** The organization that lists `domain` among its `domain_names`, if any (one GetItem). */
export const findOrganizationIdByDomain = (domain: string): Promise<number | undefined> =>
  ownerOfClaim(DOMAIN, domain.trim());

export const findOrganizationByExternalId = async (externalId: string): Promise<Organization | undefined> => {
  const id = await ownerOfClaim(EXTERNAL_ID, externalId);
  return id === undefined ? undefined : getOrganization(id);
};

const uniquenessError = (labels: string[], organization: Organization): DomainError => {
  if (labels.includes('name')) {
    return ValidationError.field(
      'name',
      `Name: ${organization.name} has already been taken`,
      'DuplicateValue',
    );
  }
  if (labels.includes('external_id')) {
    return ValidationError.field(
      'external_id',
      `External: ${organization.external_id} has already been taken`,
      'DuplicateValue',
    );
  }
  const domains = labels.filter((label) => label.startsWith('domain:')).map((label) => label.slice(7));
  if (domains.length) {
    return ValidationError.field(
      'domain_names',
      `Domain names: ${domains.join(', ')} is already used by another organization`,
      'DuplicateValue',
    );
  }
  return new UpdateConflictError();
};

const claims = (before: Organization | undefined, after: Organization | undefined): LabelledItem[] => {
  const ownerId = (after ?? before)?.id as number;
  const domainsBefore = new Set(before?.domain_names ?? []);
  const domainsAfter = new Set(after?.domain_names ?? []);
  return [
    ...claimChanges(table(), NAME, lower(before?.name ?? null), lower(after?.name ?? null), ownerId).map(
      (item) => ({ label: 'name', item }),
    ),
    ...claimChanges(
      table(),
      EXTERNAL_ID,
      lower(before?.external_id ?? null),
      lower(after?.external_id ?? null),
      ownerId,
    ).map((item) => ({ label: 'external_id', item })),
    ...[...domainsBefore]
      .filter((domain) => !domainsAfter.has(domain))
      .map((domain) => ({ label: `domain:${domain}`, item: releaseItem(table(), DOMAIN, domain, ownerId) })),
    ...[...domainsAfter]
      .filter((domain) => !domainsBefore.has(domain))
      .map((domain) => ({ label: `domain:${domain}`, item: claimItem(table(), DOMAIN, domain, ownerId) })),
  ];
};

const write = async (items: LabelledItem[], organization: Organization): Promise<void> => {
  try {
    await writeTransaction(items);
  } catch (error) {
    if (error instanceof TransactionConflict) throw uniquenessError(error.labels, organization);
    throw error;
  }
};

export const createOrganization = async (organization: Organization): Promise<Organization> => {
  await write(
    [
      {
        label: 'version',
        item: {
          Put: {
            TableName: table(),
            Item: organizationItem(organization),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      ...claims(undefined, organization),
    ],
    organization,
  );
  return organization;
};

/** Writes `next` over `previous` unless someone changed it meanwhile; unique values move with it. */
export const replaceOrganization = async (
  previous: Organization,
  next: Organization,
): Promise<Organization> => {
  const stored = { ...next, version: previous.version + 1 };
  await write(
    [
      {
        label: 'version',
        item: {
          Put: {
            TableName: table(),
            Item: organizationItem(stored),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': previous.version },
          },
        },
      },
      ...claims(previous, stored),
    ],
    stored,
  );
  return stored;
};

/** Removes the organization and releases its name, external id and domains. */
export const deleteOrganization = async (organization: Organization): Promise<void> => {
  try {
    await writeTransaction([
      {
        label: 'version',
        item: {
          Delete: {
            TableName: table(),
            Key: organizationKey(organization.id),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': organization.version },
          },
        },
      },
      ...claims(organization, undefined),
    ]);
  } catch (error) {
    if (error instanceof TransactionConflict) throw new UpdateConflictError();
    throw error;
  }
};

export const listOrganizations = (page: PageRequest): Promise<Page<Organization>> =>
  queryPage(
    {
      tableName: table(),
      indexName: 'byKind',
      partitionKeyName: 'kind',
      partitionKeyValue: 'organization',
      sortKeyName: 'id',
    },
    page,
    (item) => fromItem<Organization>(item),
  );
