import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { type StreamHandler, StreamPoller } from '../../infra/local/stream-poller.ts';
import { useTestTables } from '../support/dynamo.ts';

const { prefix } = useTestTables();
const tableName = `${prefix}-tickets`;

describe('the local DynamoDB Streams poller', () => {
  const dynamodb = new DynamoDBClient({});
  const streams = new DynamoDBStreamsClient({ endpoint: inject('dynamoEndpoint') });
  let dir: string;
  let now: number;
  /** Items of this test only: the table (and its stream) is shared by the tests of this file. */
  let partition: string;
  let batches: DynamoDBRecord[][];
  let respond: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

  const handler: StreamHandler = async (event) => {
    const mine = event.Records.filter((record) => record.dynamodb?.Keys?.pk?.S === partition);
    if (mine.length > 0) batches.push(mine);
    return respond(event);
  };
  const open = () =>
    StreamPoller.open({
      dynamodb,
      streams,
      tableName,
      handler,
      checkpointFile: join(dir, 'stream-checkpoints.json'),
      now: () => now,
      onError: () => {},
    });
  const put = (sk: string, subject: string) =>
    dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: partition }, sk: { S: sk }, subject: { S: subject }, size: { N: '3' } },
      }),
    );
  const delivered = () => batches.flat().map((record) => record.dynamodb?.Keys?.sk?.S);
  /** Polls until `count` records of this test arrived; a bounded number of passes, never a timer. */
  const pollUntil = async (poller: StreamPoller, count: number) => {
    for (let pass = 0; pass < 50 && delivered().length < count; pass += 1) await poller.pollOnce();
    return delivered();
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relaydesk-stream-'));
    now = Date.parse('2025-03-01T10:00:00Z');
    partition = `ticket#${randomUUID()}`;
    batches = [];
    respond = async () => ({ batchItemFailures: [] });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterAll(() => {
    dynamodb.destroy();
    streams.destroy();
  });

  it('delivers committed changes in order as a Lambda DynamoDBStreamEvent', async () => {
    await put('1', 'first');
    await put('2', 'second');
    await put('1', 'first, edited');
    const poller = await open();
    expect(await pollUntil(poller, 3)).toEqual(['1', '2', '1']);

    const records = batches.flat();
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'INSERT', 'MODIFY']);
    expect(records[2]).toMatchObject({
      eventID: expect.any(String),
      eventSource: 'aws:dynamodb',
      eventSourceARN: expect.stringContaining(`table/${tableName}/stream/`),
      dynamodb: {
        Keys: { pk: { S: partition }, sk: { S: '1' } },
        NewImage: { subject: { S: 'first, edited' }, size: { N: '3' } },
        OldImage: { subject: { S: 'first' } },
        SequenceNumber: expect.any(String),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        ApproximateCreationDateTime: expect.any(Number),
      },
    });
    const sequence = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
    expect([...sequence].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequence);
  });

  it('passes empty maps as {M: {}}, as AWS does (DynamoDB Local writes them as {})', async () => {
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: partition },
          sk: { S: '1' },
          via: { M: { source: { M: { from: { M: {} } } } } },
          tags: { L: [{ M: {} }] },
          empty: { S: '' },
        },
      }),
    );
    const poller = await open();
    await pollUntil(poller, 1);
    expect(batches[0]?.[0]?.dynamodb?.NewImage).toMatchObject({
      via: { M: { source: { M: { from: { M: {} } } } } },
      tags: { L: [{ M: {} }] },
      empty: { S: '' },
    });
  });

  it('resumes after the checkpoint on restart: nothing lost, nothing published twice', async () => {
    await put('1', 'before');
    const first = await open();
    await pollUntil(first, 1);
    await first.stop();

    await put('2', 'while stopped');
    batches = [];
    const second = await open();
    expect(await pollUntil(second, 1)).toEqual(['2']);
    for (let pass = 0; pass < 3; pass += 1) await second.pollOnce();
    expect(delivered()).toEqual(['2']);
  });

  it('retries from the first record named in batchItemFailures, not from the start of the batch', async () => {
    await put('1', 'a');
    await put('2', 'b');
    await put('3', 'c');
    let failOnce = true;
    respond = async (event) => {
      const second = event.Records.find(
        ({ dynamodb }) => dynamodb?.Keys?.pk?.S === partition && dynamodb.Keys.sk?.S === '2',
      );
      if (!failOnce || !second) return { batchItemFailures: [] };
      failOnce = false;
      return { batchItemFailures: [{ itemIdentifier: second.dynamodb?.SequenceNumber ?? '' }] };
    };
    const poller = await open();
    await pollUntil(poller, 3);
    // The failed record waits out a back-off measured on the injected clock.
    expect(await poller.pollOnce()).toBe(0);
    now += 60_000;
    expect(await pollUntil(poller, 5)).toEqual(['1', '2', '3', '2', '3']);
  });

  it('retries the whole batch when the handler throws', async () => {
    await put('1', 'a');
    let failures = 1;
    respond = async (event) => {
      if (failures > 0 && event.Records.some((record) => record.dynamodb?.Keys?.pk?.S === partition)) {
        failures -= 1;
        throw new Error('bus unavailable');
      }
      return { batchItemFailures: [] };
    };
    const poller = await open();
    await pollUntil(poller, 1);
    now += 60_000;
    expect(await pollUntil(poller, 2)).toEqual(['1', '1']);
  });
});
