/**
 * Table and index definitions, read by the CDK data stack and by the local runtime and tests (which
 * create the same tables in DynamoDB Local), so the two can never drift apart.
 *
 * Every table uses generic `pk`/`sk` string keys. Indexes are sparse: an item appears in an index only
 * when it carries that index's key attributes, which is how soft-deleted tickets drop out of lists.
 */

export type TableName = 'tickets' | 'directory' | 'config' | 'articles';

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
}

export interface TableDefinition {
  name: TableName;
  /** Environment variable holding the physical table name in every function that uses it. */
  envVar: string;
  stream: boolean;
  indexes: readonly IndexDefinition[];
  /** Items carrying this epoch-seconds attribute are deleted by DynamoDB once it has passed. */
  timeToLiveAttribute?: string;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });
const N = (name: string): KeyAttribute => ({ name, type: 'N' });

export const PARTITION_KEY = S('pk');
export const SORT_KEY = S('sk');

/** `kind` + numeric `id`: every record of one kind, in id order (Zendesk lists are id-ordered). */
const byKind: IndexDefinition = { name: 'byKind', partitionKey: S('kind'), sortKey: N('id') };

export const tables: Readonly<Record<TableName, TableDefinition>> = {
  tickets: {
    name: 'tickets',
    envVar: 'TICKETS_TABLE_NAME',
    stream: true,
    indexes: [
      byKind,
      { name: 'byRequester', partitionKey: N('gsi_requester_id'), sortKey: N('id') },
      { name: 'byOrganization', partitionKey: N('gsi_organization_id'), sortKey: N('id') },
      { name: 'byAssignee', partitionKey: N('gsi_assignee_id'), sortKey: N('id') },
      // `status#updated_at#id` partitions let views and automations read one queue in update order.
      { name: 'byGroupStatus', partitionKey: S('gsi_group_status'), sortKey: S('gsi_updated') },
      { name: 'byStatus', partitionKey: S('gsi_status'), sortKey: S('gsi_updated') },
      // Incremental export and the purge of deleted tickets read in update order per kind.
      { name: 'byUpdated', partitionKey: S('kind'), sortKey: S('gsi_updated') },
    ],
  },
  directory: {
    name: 'directory',
    envVar: 'DIRECTORY_TABLE_NAME',
    stream: false,
    // Rate-limit windows expire by themselves.
    timeToLiveAttribute: 'expires_at',
    indexes: [
      byKind,
      { name: 'byOrganization', partitionKey: N('gsi_organization_id'), sortKey: N('id') },
      { name: 'byUser', partitionKey: N('gsi_user_id'), sortKey: N('id') },
      { name: 'byGroup', partitionKey: N('gsi_group_id'), sortKey: N('id') },
    ],
  },
  config: {
    name: 'config',
    envVar: 'CONFIG_TABLE_NAME',
    stream: false,
    // Webhook invocation history and delivery claims expire by themselves.
    timeToLiveAttribute: 'expires_at',
    indexes: [byKind],
  },
  articles: {
    name: 'articles',
    envVar: 'ARTICLES_TABLE_NAME',
    stream: false,
    indexes: [byKind],
  },
};

export const tableNames = Object.keys(tables) as TableName[];

/** Physical table name for this process, from the environment the deployment (or local runtime) set. */
export const physicalTableName = (table: TableName): string => {
  const envVar = tables[table].envVar;
  const value = process.env[envVar];
  if (!value) throw new Error(`${envVar} is not set: the ${table} table has no physical name`);
  return value;
};
