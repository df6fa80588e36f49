import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventFabric } from '../../infra/local/event-fabric.ts';
import type { DeadLetter } from '../../infra/local/local-queue.ts';
import type { Consumer } from '../../infra/topology.ts';
import type { OutgoingEvent } from '../../shared/events/event-bus.ts';

const VISIBILITY_SECONDS = 30;

const consumer = (name: string, detailTypes: string[], overrides: Partial<Consumer> = {}): Consumer => ({
  name,
  entry: `fixture/${name}.ts`,
  tables: [],
  pattern: { source: ['relaydesk.tickets'], 'detail-type': detailTypes },
  batchSize: 10,
  maxReceiveCount: 3,
  visibilityTimeoutSeconds: VISIBILITY_SECONDS,
  ...overrides,
});

const ticketEvent = (detailType: string, ticketId: number): OutgoingEvent => ({
  source: 'relaydesk.tickets',
  detailType,
  detail: { ticket_id: ticketId },
  time: '2025-03-01T10:00:00.123Z',
});

const ticketIdOf = (record: SQSRecord): number => JSON.parse(record.body).detail.ticket_id;

describe('the local event fabric', () => {
  let dir: string;
  let now: number;
  let deliveries: Record<string, SQSRecord[][]>;
  let respond: (consumerName: string, event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
  let deadLetters: DeadLetter[];
  const consumers = [
    consumer('metrics', ['ticket.created', 'ticket.updated']),
    consumer('mail', ['comment.added']),
  ];

  const open = () =>
    EventFabric.open({
      consumers,
      queueDir: dir,
      now: () => now,
      load: async (entry) => {
        const name = entry.replace(/^fixture\/|\.ts$/g, '');
        return {
          handler: async (event: SQSEvent) => {
            deliveries[name] = [...(deliveries[name] ?? []), event.Records];
            return respond(name, event);
          },
        };
      },
      onDeadLetter: (_consumer, message) => deadLetters.push(message),
      onError: () => {},
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relaydesk-fabric-'));
    now = Date.parse('2025-03-01T10:00:01Z');
    deliveries = {};
    deadLetters = [];
    respond = async () => ({ batchItemFailures: [] });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers each event to the consumers whose pattern matches, as an EventBridge envelope in SQS records', async () => {
    const fabric = await open();
    await fabric.publish([ticketEvent('ticket.created', 1), ticketEvent('comment.added', 1)]);
    expect(await fabric.deliverDue()).toBe(2);

    const [metricsBatch] = deliveries.metrics ?? [];
    expect(metricsBatch).toHaveLength(1);
    const record = metricsBatch?.[0] as SQSRecord;
    expect(JSON.parse(record.body)).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'ticket.created',
      source: 'relaydesk.tickets',
      account: 'local',
      time: '2025-03-01T10:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { ticket_id: 1 },
    });
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      awsRegion: 'us-east-1',
      eventSourceARN: expect.stringMatching(/:relaydesk-metrics$/),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(now) },
    });
    expect(deliveries.mail?.[0]?.map(ticketIdOf)).toEqual([1]);
    expect(fabric.queue('metrics').pending).toHaveLength(0);
    expect(fabric.queue('mail').pending).toHaveLength(0);
  });

  it('batches up to the batch size', async () => {
    const fabric = await open();
    await fabric.publish(Array.from({ length: 12 }, (_, index) => ticketEvent('ticket.updated', index + 1)));
    await fabric.deliverDue();
    await fabric.deliverDue();
    expect(deliveries.metrics?.map((batch) => batch.length)).toEqual([10, 2]);
  });

  it('redelivers only the messages a partial batch failure names, after the visibility timeout', async () => {
    const fabric = await open();
    respond = async (_name, event) => ({
      batchItemFailures: event.Records.filter((record) => ticketIdOf(record) === 2).map((record) => ({
        itemIdentifier: record.messageId,
      })),
    });
    await fabric.publish([1, 2, 3].map((id) => ticketEvent('ticket.updated', id)));
    await fabric.deliverDue();
    respond = async () => ({ batchItemFailures: [] });

    now += VISIBILITY_SECONDS * 1000 - 1;
    expect(await fabric.deliverDue()).toBe(0);
    now += 1;
    expect(await fabric.deliverDue()).toBe(1);

    const [first, second] = deliveries.metrics ?? [];
    expect(first?.map(ticketIdOf)).toEqual([1, 2, 3]);
    expect(second?.map(ticketIdOf)).toEqual([2]);
    expect(second?.[0]?.attributes.ApproximateReceiveCount).toBe('2');
    expect(fabric.queue('metrics').pending).toHaveLength(0);
  });

  it('fails the whole batch when the handler throws', async () => {
    const fabric = await open();
    respond = async () => {
      throw new Error('database down');
    };
    await fabric.publish([1, 2].map((id) => ticketEvent('ticket.updated', id)));
    await fabric.deliverDue();
    respond = async () => ({ batchItemFailures: [] });
    now += VISIBILITY_SECONDS * 1000;
    await fabric.deliverDue();
    expect(deliveries.metrics?.map((batch) => batch.map(ticketIdOf))).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount failed deliveries', async () => {
    const fabric = await open();
    respond = async () => {
      throw new Error('poison');
    };
    await fabric.publish([ticketEvent('ticket.updated', 9)]);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await fabric.deliverDue();
      now += VISIBILITY_SECONDS * 1000;
    }
    expect(deliveries.metrics).toHaveLength(3);
    expect(deadLetters.map((message) => JSON.parse(message.body).detail.ticket_id)).toEqual([9]);
    expect(fabric.queue('metrics').pending).toHaveLength(0);
    expect(fabric.queue('metrics').deadLettered).toHaveLength(1);
  });

  it('keeps queued and in-flight messages across a restart', async () => {
    const first = await open();
    respond = async (name) => {
      if (name === 'mail') throw new Error('crash');
      return { batchItemFailures: [] };
    };
    await first.publish([ticketEvent('ticket.updated', 1), ticketEvent('comment.added', 2)]);
    await first.deliverDue();
    await first.publish([ticketEvent('ticket.created', 3)]);
    // No stop(): the process "dies" with 2 in flight (mail failed it) and 3 queued but never polled.

    const second = await open();
    respond = async () => ({ batchItemFailures: [] });
    expect(second.queue('metrics').pending.map((message) => JSON.parse(message.body).detail)).toEqual([
      { ticket_id: 3 },
    ]);
    // The consumer that held the in-flight message died with the process: it is visible again at once.
    expect(await second.deliverDue()).toBe(2);
    expect(deliveries.metrics?.map((batch) => batch.map(ticketIdOf))).toEqual([[1], [3]]);
    expect(deliveries.mail?.map((batch) => batch.map(ticketIdOf))).toEqual([[2], [2]]);
    expect(deliveries.mail?.at(-1)?.[0]?.attributes.ApproximateReceiveCount).toBe('2');
    await second.stop();

    const third = await open();
    expect(third.queue('metrics').pending).toHaveLength(0);
    expect(third.queue('mail').pending).toHaveLength(0);
    expect((await readdir(dir)).sort()).toEqual(['mail.json', 'metrics.json']);
  });

  it('keeps the dead-letter queue across a restart', async () => {
    const first = await open();
    respond = async () => {
      throw new Error('poison');
    };
    await first.publish([ticketEvent('comment.added', 4)]);
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await first.deliverDue();
      now += VISIBILITY_SECONDS * 1000;
    }
    const second = await open();
    expect(second.queue('mail').deadLettered.map((message) => JSON.parse(message.body).detail)).toEqual([
      { ticket_id: 4 },
    ]);
  });

  it('delivers without being asked once started, and stops cleanly', async () => {
    now = Date.now();
    const fabric = await EventFabric.open({
      consumers,
      queueDir: dir,
      load: async () => ({
        handler: async (event: SQSEvent) => {
          deliveries.metrics = [...(deliveries.metrics ?? []), event.Records];
        },
      }),
    });
    fabric.start(5);
    await fabric.publish([ticketEvent('ticket.updated', 5)]);
    await expect.poll(() => deliveries.metrics?.length ?? 0).toBe(1);
    await fabric.stop();
  });
});
