/**
 * Starts one in-memory DynamoDB Local for the whole test run on a free loopback port. Each test file
 * creates its own tables (see dynamo.ts), so files never see each other's data.
 */
import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/ports.ts';

let dynamo: DynamoDbLocal | undefined;

export default async function setup(project: TestProject) {
  dynamo = await startDynamoDbLocal({ port: await freePort() });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
