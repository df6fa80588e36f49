/**
 * Starts one in-memory DynamoDB Local for the whole test run on a free loopback port. Each test file
 * creates its own tables (see dynamo.ts), so files never see each other's data.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/ports.ts';
import { SchedulerLocal } from '../../infra/local/scheduler-local.ts';

let dynamo: DynamoDbLocal | undefined;

export default async function setup(project: TestProject) {
  dynamo = await startDynamoDbLocal({ port: await freePort() });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  // Handlers that keep SLA timers talk to a real Scheduler API; nothing fires here (no delivery):
  // tests that need timers to fire start their own.
  const schedulerDir = await mkdtemp(join(tmpdir(), 'relaydesk-test-scheduler-'));
  const scheduler = await SchedulerLocal.start({
    port: 0,
    portVariable: 'scheduler API port',
    stateFile: join(schedulerDir, 'scheduler-api.json'),
    now: Date.now,
  });
  project.provide('schedulerEndpoint', scheduler.endpoint);
  return async () => {
    await scheduler.stop();
    await rm(schedulerDir, { recursive: true, force: true });
    await dynamo?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    schedulerEndpoint: string;
  }
}
