/**
 * The local runtime's stand-in for IAM table grants (infra/local/function-grants.ts), against DynamoDB
 * Local: inside a function's invocation only the tables and access modes its topology entry lists work.
 */
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  enforceFunctionGrants,
  runWithGrants,
} from '../../infra/local/function-grants.ts';
import type { TableAccess } from '../../infra/topology.ts';
import { documentClient } from '../../shared/store/dynamo.ts';
import { physicalTableName } from '../../shared/store/tables.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();
beforeAll(() => enforceFunctionGrants());

const key = { pk: 'GRANT#1', sk: 'ITEM' };
const readTickets: TableAccess[] = [{ table: 'tickets', mode: 'read' }];
const asFunction = <T>(tables: readonly TableAccess[], call: () => Promise<T>) =>
  runWithGrants('relaydesk-under-test', { tables }, call);
const put = (table: 'tickets' | 'directory') =>
  documentClient().send(new PutCommand({ TableName: physicalTableName(table), Item: key }));

describe('table grants in the local runtime', () => {
  it('lets a function read a table it may read, and refuses its writes there', async () => {
    await expect(
      asFunction(readTickets, () =>
        documentClient().send(new GetCommand({ TableName: physicalTableName('tickets'), Key: key })),
      ),
    ).resolves.toBeDefined();
    await expect(asFunction(readTickets, () => put('tickets'))).rejects.toThrow(
      new AccessDeniedError(
        'relaydesk-under-test',
        `write access to the ${physicalTableName('tickets')} table`,
      ),
    );
  });

  it('refuses every access to a table the function was not granted', async () => {
    await expect(
      asFunction(readTickets, () =>
        documentClient().send(
          new QueryCommand({
            TableName: physicalTableName('directory'),
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': 'x' },
          }),
        ),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('checks each item of a transaction: a condition check needs read, a put needs write', async () => {
    const transaction = () =>
      documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: physicalTableName('tickets'),
                Key: { pk: 'GRANT#absent', sk: 'ITEM' },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: physicalTableName('directory'), Item: key } },
          ],
        }),
      );
    await expect(
      asFunction([...readTickets, { table: 'directory', mode: 'readWrite' }], transaction),
    ).resolves.toBeDefined();
    await expect(
      asFunction([...readTickets, { table: 'directory', mode: 'read' }], transaction),
    ).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('refuses mail from a function not marked sendsMail, before anything reaches SES', async () => {
    const send = () =>
      new SESClient({ endpoint: 'http://127.0.0.1:9' }).send(
        new SendRawEmailCommand({ RawMessage: { Data: Buffer.from('Subject: x\r\n\r\nx') } }),
      );
    await expect(asFunction(readTickets, send)).rejects.toThrow(
      new AccessDeniedError('relaydesk-under-test', 'sendsMail (SES)'),
    );
  });

  it('does not check calls made outside a function invocation (the runtime setting itself up)', async () => {
    await expect(put('tickets')).resolves.toBeDefined();
  });
});
