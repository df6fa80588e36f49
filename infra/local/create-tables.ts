/** Creates the tables and indexes of shared/store/tables.ts in DynamoDB Local (the same definitions CDK uses). */
import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { PARTITION_KEY, SORT_KEY, type TableName, tableNames, tables } from '../../shared/store/tables.ts';

/** Physical names are `${prefix}-${logical}`; returns the environment variables that point at them. */
export const physicalNames = (prefix: string): Record<string, string> =>
  Object.fromEntries(tableNames.map((name) => [tables[name].envVar, `${prefix}-${name}`]));

export const createTables = async (client: DynamoDBClient, prefix: string): Promise<void> => {
  await Promise.all(tableNames.map((name) => createTable(client, name, `${prefix}-${name}`)));
};

const createTable = async (client: DynamoDBClient, logical: TableName, physical: string): Promise<void> => {
  const definition = tables[logical];
  const attributes = new Map<string, AttributeDefinition>();
  for (const key of [
    PARTITION_KEY,
    SORT_KEY,
    ...definition.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]) {
    attributes.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: physical,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes.values()],
        KeySchema: [
          { AttributeName: PARTITION_KEY.name, KeyType: 'HASH' },
          { AttributeName: SORT_KEY.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: definition.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        StreamSpecification: definition.stream
          ? { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }
          : undefined,
      }),
    );
  } catch (error) {
    // Tables survive restarts in the on-disk database; an existing table is the normal case.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
};
