/**
 * The in-process stand-in for EventBridge → SQS → Lambda, built from the topology's consumers: the bus
 * matches each event against every consumer's pattern and enqueues the EventBridge envelope on that
 * consumer's queue; a poller per queue delivers batches to the consumer's handler with SQS event-source
 * semantics (partial batch failures, visibility timeout, retries, dead-letter queue). Notification
 * consumers (SNS → SQS in AWS) get the same kind of queue, fed directly through `enqueue`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { EventBus, OutgoingEvent } from '../../shared/events/event-bus.ts';
import type { Consumer, NotificationConsumer } from '../topology.ts';
import { matchesPattern } from './event-pattern.ts';
import { runWithGrants } from './function-grants.ts';
import { exportedFunction, type ModuleLoader } from './function-modules.ts';
import { createLambdaContext } from './lambda-context.ts';
import { eventBridgeTime, LOCAL_ACCOUNT, LOCAL_REGION } from './local-aws.ts';
import { type DeadLetter, LocalQueue, type QueuedMessage } from './local-queue.ts';
import { type PollLoop, startPollLoop } from './poll-loop.ts';

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined | null>;

/** What every queue-fed consumer declares; a bus consumer adds its pattern. */
type QueueConsumer = NotificationConsumer;

export interface EventFabricOptions {
  consumers: readonly Consumer[];
  /** Consumers fed by `enqueue` rather than by bus events (mail ingress, mail feedback). */
  notificationConsumers?: readonly NotificationConsumer[];
  load: ModuleLoader;
  /** Folder for the queue files (`<consumer>.json`). */
  queueDir: string;
  now?: () => number;
  onDeadLetter?: (consumer: QueueConsumer, message: DeadLetter) => void;
  onError?: (message: string, error: unknown) => void;
}

interface Subscription {
  consumer: QueueConsumer;
  /** Absent for notification consumers, which no bus event reaches. */
  pattern: Consumer['pattern'] | undefined;
  queue: LocalQueue;
}

const warnDeadLetter = (consumer: QueueConsumer, message: DeadLetter) =>
  console.warn(
    `[event fabric] message ${message.messageId} moved to the ${consumer.name} dead-letter queue ` +
      `after ${message.receiveCount} deliveries`,
  );

const logError = (message: string, error: unknown) => console.error(`[event fabric] ${message}`, error);

export class EventFabric implements EventBus {
  private loops: PollLoop[] = [];

  private constructor(
    private readonly subscriptions: readonly Subscription[],
    private readonly options: EventFabricOptions,
  ) {}

  static async open(options: EventFabricOptions): Promise<EventFabric> {
    const now = options.now ?? Date.now;
    const queueConsumers: { consumer: QueueConsumer; pattern: Consumer['pattern'] | undefined }[] = [
      ...options.consumers.map((consumer) => ({ consumer, pattern: consumer.pattern })),
      ...(options.notificationConsumers ?? []).map((consumer) => ({ consumer, pattern: undefined })),
    ];
    const subscriptions = await Promise.all(
      queueConsumers.map(async ({ consumer, pattern }) => ({
        consumer,
        pattern,
        queue: await LocalQueue.open({
          name: consumer.name,
          file: join(options.queueDir, `${consumer.name}.json`),
          visibilityTimeoutSeconds: consumer.visibilityTimeoutSeconds,
          maxReceiveCount: consumer.maxReceiveCount,
          now,
        }),
      })),
    );
    return new EventFabric(subscriptions, options);
  }

  queue(consumerName: string): LocalQueue {
    const subscription = this.subscriptions.find(({ consumer }) => consumer.name === consumerName);
    if (!subscription) throw new Error(`No consumer named ${consumerName}`);
    return subscription.queue;
  }

  /** EventBus: resolves once every matching queue has the events on disk. */
  async publish(events: readonly OutgoingEvent[]): Promise<void> {
    const envelopes = events.map((event) => ({
      version: '0',
      id: randomUUID(),
      'detail-type': event.detailType,
      source: event.source,
      account: LOCAL_ACCOUNT,
      time: eventBridgeTime(new Date(event.time)),
      region: LOCAL_REGION,
      resources: [],
      detail: event.detail,
    }));
    await Promise.all(
      this.subscriptions.map(({ pattern, queue }) =>
        pattern
          ? queue.send(
              envelopes
                .filter((envelope) => matchesPattern(pattern, envelope))
                .map((envelope) => JSON.stringify(envelope)),
            )
          : Promise.resolve(),
      ),
    );
    for (const loop of this.loops) loop.wake();
  }

  /** Puts message bodies straight on a consumer's queue, as an SNS subscription would. */
  async enqueue(consumerName: string, bodies: readonly string[]): Promise<void> {
    await this.queue(consumerName).send(bodies);
    for (const loop of this.loops) loop.wake();
  }

  /**
   * Delivers one batch (up to the consumer's batch size) from each queue and settles it. Returns how many
   * messages were delivered. The runtime calls this from its pollers; tests call it directly.
   */
  async deliverDue(): Promise<number> {
    const counts = await Promise.all(
      this.subscriptions.map((subscription) => this.deliverBatch(subscription)),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** One poller per queue, so a slow or failing consumer never holds up another. */
  start(pollIntervalMs = 100): void {
    const onError = this.options.onError ?? logError;
    this.loops = this.subscriptions.map((subscription) =>
      startPollLoop(
        async () => {
          while ((await this.deliverBatch(subscription)) > 0) {}
        },
        pollIntervalMs,
        (error) => onError(`delivery to ${subscription.consumer.name} failed`, error),
      ),
    );
  }

  /** Waits for batches in flight to settle, then writes every queue. */
  async stop(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
    this.loops = [];
    await Promise.all(this.subscriptions.map(({ queue }) => queue.flush()));
  }

  private async deliverBatch({ consumer, queue }: Subscription): Promise<number> {
    const { messages, deadLettered } = await queue.receive(consumer.batchSize);
    for (const message of deadLettered) (this.options.onDeadLetter ?? warnDeadLetter)(consumer, message);
    if (messages.length === 0) return 0;
    const failed = await this.invoke(consumer, messages);
    await queue.delete(
      messages
        .filter((message) => !failed.has(message.messageId))
        .map((message) => message.receiptHandle ?? ''),
    );
    return messages.length;
  }

  /** Runs the consumer; returns the ids of the messages that must be retried. */
  private async invoke(consumer: QueueConsumer, messages: readonly QueuedMessage[]): Promise<Set<string>> {
    const everything = new Set(messages.map((message) => message.messageId));
    try {
      const handler = await exportedFunction<SqsHandler>(this.options.load, consumer.entry);
      const functionName = `relaydesk-${consumer.name}`;
      const response = await runWithGrants(functionName, consumer, () =>
        handler(
          { Records: messages.map((message) => sqsRecord(consumer, message)) },
          createLambdaContext(functionName, consumer.timeoutSeconds, consumer.memoryMb),
        ),
      );
      const failures = response?.batchItemFailures ?? [];
      // Lambda treats a failure naming no message of the batch as a failure of the whole batch.
      if (failures.some(({ itemIdentifier }) => !everything.has(itemIdentifier))) return everything;
      return new Set(failures.map(({ itemIdentifier }) => itemIdentifier));
    } catch (error) {
      (this.options.onError ?? logError)(`${consumer.name} failed a batch of ${messages.length}`, error);
      return everything;
    }
  }
}

const sqsRecord = (consumer: QueueConsumer, message: QueuedMessage): SQSRecord => ({
  messageId: message.messageId,
  receiptHandle: message.receiptHandle ?? '',
  body: message.body,
  attributes: {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentAt),
    SenderId: LOCAL_ACCOUNT,
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
  },
  messageAttributes: {},
  md5OfBody: createHash('md5').update(message.body).digest('hex'),
  eventSource: 'aws:sqs',
  eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:relaydesk-${consumer.name}`,
  awsRegion: LOCAL_REGION,
});
