/**
 * The local Lambda event source mapping for a table's DynamoDB Stream: follows every shard (children
 * only after their parent is finished, so per-item order holds), hands batches to the handler as a
 * DynamoDBStreamEvent, retries from the first failed record (thrown error or batchItemFailures), and
 * checkpoints the last processed sequence number per shard so a restart neither loses nor replays
 * committed changes.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { AtomicJsonFile } from './atomic-json-file.ts';
import { type PollLoop, startPollLoop } from './poll-loop.ts';
import { toLambdaStreamRecord } from './stream-records.ts';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined | null>;

export interface StreamPollerOptions {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  handler: StreamHandler;
  checkpointFile: string;
  /** Records per handler call (Lambda's default for streams). */
  batchSize?: number;
  now?: () => number;
  onError?: (message: string, error: unknown) => void;
}

interface ShardCheckpoint {
  /** Last sequence number the handler processed; absent means start at TRIM_HORIZON. */
  sequenceNumber?: string;
  /** Read to its end (the shard was closed and every record processed). */
  finished?: boolean;
}

interface Checkpoints {
  streamArn?: string;
  shards: Record<string, ShardCheckpoint>;
}

const MIN_RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 30_000;

export class StreamPoller {
  private checkpoints: Checkpoints = { shards: {} };
  private readonly file: AtomicJsonFile<Checkpoints>;
  private readonly iterators = new Map<string, string>();
  private readonly retries = new Map<string, { attempts: number; retryAt: number }>();
  private loop: PollLoop | undefined;
  private resolvedStreamArn: string | undefined;

  private constructor(private readonly options: StreamPollerOptions) {
    this.file = new AtomicJsonFile(options.checkpointFile, () => this.checkpoints);
  }

  static async open(options: StreamPollerOptions): Promise<StreamPoller> {
    const poller = new StreamPoller(options);
    poller.checkpoints = (await poller.file.read()) ?? { shards: {} };
    return poller;
  }

  start(intervalMs = 250): void {
    this.loop = startPollLoop(
      async () => {
        await this.pollOnce();
      },
      intervalMs,
      (error) => this.reportError('polling the stream failed', error),
    );
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    this.loop = undefined;
    await this.file.save();
  }

  /** Reads every readable shard once; returns how many records the handler processed successfully. */
  async pollOnce(): Promise<number> {
    const streamArn = await this.streamArn();
    const shards = await this.listShards(streamArn);
    const listed = new Set(shards.map((shard) => shard.ShardId));
    // Shards trimmed from the stream (24 h retention) no longer need a checkpoint.
    for (const shardId of Object.keys(this.checkpoints.shards)) {
      if (!listed.has(shardId)) delete this.checkpoints.shards[shardId];
    }
    let processed = 0;
    for (const shard of shards) {
      const shardId = shard.ShardId ?? '';
      if (this.checkpoints.shards[shardId]?.finished) continue;
      const parent = shard.ParentShardId;
      if (parent && listed.has(parent) && !this.checkpoints.shards[parent]?.finished) continue;
      if ((this.retries.get(shardId)?.retryAt ?? 0) > this.now()) continue;
      processed += await this.readShard(streamArn, shardId);
    }
    return processed;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private reportError(message: string, error: unknown): void {
    (this.options.onError ?? ((text, cause) => console.error(`[stream poller] ${text}`, cause)))(
      message,
      error,
    );
  }

  private async streamArn(): Promise<string> {
    if (this.resolvedStreamArn) return this.resolvedStreamArn;
    const { Table } = await this.options.dynamodb.send(
      new DescribeTableCommand({ TableName: this.options.tableName }),
    );
    const arn = Table?.LatestStreamArn;
    if (!arn) throw new Error(`Table ${this.options.tableName} has no stream`);
    // A recreated table has a new stream: checkpoints of the old one mean nothing there.
    if (this.checkpoints.streamArn !== arn) {
      this.checkpoints = { streamArn: arn, shards: {} };
    }
    this.resolvedStreamArn = arn;
    return arn;
  }

  private async listShards(streamArn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.options.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  private async iteratorFor(streamArn: string, shardId: string): Promise<string | undefined> {
    const cached = this.iterators.get(shardId);
    if (cached) return cached;
    const sequenceNumber = this.checkpoints.shards[shardId]?.sequenceNumber;
    const { ShardIterator } = await this.options.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(sequenceNumber
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: sequenceNumber }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  /** Reads one shard until it has nothing more right now, a batch fails, or the shard ends. */
  private async readShard(streamArn: string, shardId: string): Promise<number> {
    let processed = 0;
    for (;;) {
      const iterator = await this.iteratorFor(streamArn, shardId);
      if (!iterator) return this.finish(shardId, processed);
      let page: { Records?: StreamRecord[]; NextShardIterator?: string };
      try {
        page = await this.options.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize ?? 100 }),
        );
      } catch (error) {
        this.iterators.delete(shardId);
        if (error instanceof ExpiredIteratorException) return processed;
        if (error instanceof TrimmedDataAccessException) {
          // The checkpointed position aged out of the stream: resume at the oldest record still there.
          delete this.checkpoints.shards[shardId];
          return processed;
        }
        throw error;
      }
      const records = page.Records ?? [];
      if (records.length > 0) {
        const done = await this.deliver(streamArn, shardId, records);
        processed += done;
        if (done < records.length) return processed;
      }
      if (!page.NextShardIterator) return this.finish(shardId, processed);
      this.iterators.set(shardId, page.NextShardIterator);
      if (records.length === 0) return processed;
    }
  }

  private async finish(shardId: string, processed: number): Promise<number> {
    this.iterators.delete(shardId);
    this.checkpoints.shards[shardId] = { ...this.checkpoints.shards[shardId], finished: true };
    await this.file.save();
    return processed;
  }

  /** Hands one batch to the handler; checkpoints what succeeded and returns how many records that was. */
  private async deliver(
    streamArn: string,
    shardId: string,
    records: readonly StreamRecord[],
  ): Promise<number> {
    const sequenceNumbers = records.map((record) => record.dynamodb?.SequenceNumber ?? '');
    let succeeded = 0;
    try {
      const event: DynamoDBStreamEvent = {
        Records: records.map((record) => toLambdaStreamRecord(record, streamArn)),
      };
      const response = await this.options.handler(event);
      const failed = (response?.batchItemFailures ?? []).map(({ itemIdentifier }) =>
        sequenceNumbers.indexOf(itemIdentifier),
      );
      // Lambda retries from the earliest failed record; an identifier not in the batch fails all of it.
      succeeded = failed.length === 0 ? records.length : failed.includes(-1) ? 0 : Math.min(...failed);
      if (succeeded < records.length) {
        this.reportError(
          `the handler failed record ${sequenceNumbers[succeeded]} of shard ${shardId}`,
          undefined,
        );
      }
    } catch (error) {
      this.reportError(`the handler failed a batch of ${records.length} from shard ${shardId}`, error);
    }
    if (succeeded > 0) {
      this.checkpoints.shards[shardId] = { sequenceNumber: sequenceNumbers[succeeded - 1] };
      await this.file.save();
    }
    if (succeeded < records.length) {
      // Re-read from the checkpoint, after a growing pause so a broken handler does not spin.
      this.iterators.delete(shardId);
      const attempts = (this.retries.get(shardId)?.attempts ?? 0) + 1;
      const delay = Math.min(MAX_RETRY_DELAY_MS, MIN_RETRY_DELAY_MS * 2 ** (attempts - 1));
      this.retries.set(shardId, { attempts, retryAt: this.now() + delay });
    } else {
      this.retries.delete(shardId);
    }
    return succeeded;
  }
}
