import { DynamoDBClient, paginateListTables, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ScanForbiddenError } from '../../infra/local/scan-guard.ts';
import { tableNames } from '../../shared/store/tables.ts';
import { useTestTables } from '../support/dynamo.ts';

const { prefix } = useTestTables();

describe('the test run DynamoDB Local', () => {
  it('has every table of the definitions, created for this file', async () => {
    const client = new DynamoDBClient({});
    // ListTables answers at most 100 names a page, and the whole run's files share this DynamoDB Local.
    const tables: string[] = [];
    for await (const page of paginateListTables({ client }, {})) tables.push(...(page.TableNames ?? []));
    expect(tables.filter((name) => name.startsWith(`${prefix}-`)).sort()).toEqual(
      tableNames.map((name) => `${prefix}-${name}`).sort(),
    );
  });

  it('fails any code path that issues a Scan', async () => {
    const client = new DynamoDBClient({});
    await expect(client.send(new ScanCommand({ TableName: `${prefix}-tickets` }))).rejects.toBeInstanceOf(
      ScanForbiddenError,
    );
  });
});
