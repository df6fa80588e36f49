/**
 * One SQS standard queue with its dead-letter queue, kept in memory and persisted to one JSON file (so a
 * move to the DLQ is a single atomic write). Semantics follow SQS: a received message stays invisible
 * for the visibility timeout and reappears unless deleted; a message received `maxReceiveCount` times
 * moves to the DLQ on the next receive instead of being delivered again.
 */
import { randomUUID } from 'node:crypto';
import { AtomicJsonFile } from './atomic-json-file.ts';

export interface QueuedMessage {
  messageId: string;
  body: string;
  /** Epoch ms. */
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

export interface DeadLetter extends QueuedMessage {
  deadLetteredAt: number;
}

interface QueueFile {
  messages: QueuedMessage[];
  deadLetters: DeadLetter[];
}

export interface LocalQueueOptions {
  name: string;
  file: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  now: () => number;
}

export interface ReceiveResult {
  messages: QueuedMessage[];
  deadLettered: DeadLetter[];
}

export class LocalQueue {
  private messages: QueuedMessage[] = [];
  private deadLetters: DeadLetter[] = [];
  private readonly file: AtomicJsonFile<QueueFile>;

  private constructor(private readonly options: LocalQueueOptions) {
    this.file = new AtomicJsonFile(options.file, () => ({
      messages: this.messages,
      deadLetters: this.deadLetters,
    }));
  }

  static async open(options: LocalQueueOptions): Promise<LocalQueue> {
    const queue = new LocalQueue(options);
    const saved = await queue.file.read();
    if (saved) {
      // The consumer that held an in-flight message ran in the process that is gone, so nobody will delete
      // it: make it visible now instead of making a fresh start wait out the visibility timeout.
      const now = options.now();
      queue.messages = saved.messages.map((message) => ({
        ...message,
        visibleAt: Math.min(message.visibleAt, now),
      }));
      queue.deadLetters = saved.deadLetters;
    }
    return queue;
  }

  get name(): string {
    return this.options.name;
  }

  /** Messages not yet deleted, visible or in flight. */
  get pending(): readonly QueuedMessage[] {
    return this.messages;
  }

  get deadLettered(): readonly DeadLetter[] {
    return this.deadLetters;
  }

  async send(bodies: readonly string[]): Promise<void> {
    if (bodies.length === 0) return;
    const now = this.options.now();
    for (const body of bodies) {
      this.messages.push({ messageId: randomUUID(), body, sentAt: now, receiveCount: 0, visibleAt: now });
    }
    await this.file.save();
  }

  /** Receives up to `max` visible messages, moving over-received ones to the DLQ on the way. */
  async receive(max: number): Promise<ReceiveResult> {
    const now = this.options.now();
    const received: QueuedMessage[] = [];
    const deadLettered: DeadLetter[] = [];
    for (const message of this.messages) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        const { receiptHandle: _expired, ...rest } = message;
        deadLettered.push({ ...rest, deadLetteredAt: now });
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + this.options.visibilityTimeoutSeconds * 1000;
      message.receiptHandle = randomUUID();
      received.push(message);
    }
    if (deadLettered.length > 0) {
      const moved = new Set(deadLettered.map((message) => message.messageId));
      this.messages = this.messages.filter((message) => !moved.has(message.messageId));
      this.deadLetters.push(...deadLettered);
    }
    if (received.length > 0 || deadLettered.length > 0) await this.file.save();
    return { messages: received.map((message) => ({ ...message })), deadLettered };
  }

  /** Deletes received messages; a stale receipt handle (the message was received again since) is ignored. */
  async delete(receiptHandles: readonly string[]): Promise<void> {
    if (receiptHandles.length === 0) return;
    const handles = new Set(receiptHandles);
    this.messages = this.messages.filter(
      (message) => message.receiptHandle === undefined || !handles.has(message.receiptHandle),
    );
    await this.file.save();
  }

  /** Writes the current state (on shutdown, after the last delivery settled). */
  flush(): Promise<void> {
    return this.file.save();
  }
}
