/**
 * Per-test-file DynamoDB tables in the run's DynamoDB Local: call `useTestTables()` at the top of an
 * integration test file; it points this worker's environment at fresh tables before any store is built.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, inject } from 'vitest';
import { createTables, physicalNames } from '../../infra/local/create-tables.ts';

export const localAwsEnvironment = (endpoint: string): Record<string, string> => ({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
});

export const useTestTables = (): { prefix: string } => {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const endpoint = inject('dynamoEndpoint');
  Object.assign(process.env, localAwsEnvironment(endpoint), physicalNames(prefix));
  beforeAll(async () => {
    const client = new DynamoDBClient({});
    await createTables(client, prefix);
    client.destroy();
  });
  return { prefix };
};
