/**
 * Raw DynamoDB Local latency of an operation: its recorded call sequence replayed with the SDK,
 * in-process, against the same DynamoDB Local. Writes that create records get fresh keys on every
 * replay (a `#replay-N` suffix on `pk`), so their `attribute_not_exists` conditions still hold.
 */
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RecordedCall } from './dynamo-recorder.ts';
import { percentile } from './stats.ts';

// biome-ignore lint/suspicious/noExplicitAny: replayed inputs were recorded from these very commands
type AnyCommandClass = new (input: any) => unknown;
const COMMANDS: Record<string, AnyCommandClass> = {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
};

type Put = { Item?: Record<string, unknown>; ConditionExpression?: string };

const freshKey = (put: Put | undefined, suffix: string) => {
  if (
    put?.Item &&
    put.ConditionExpression?.includes('attribute_not_exists') &&
    typeof put.Item.pk === 'string'
  ) {
    put.Item.pk = `${put.Item.pk}#${suffix}`;
  }
};

const replayInput = (call: RecordedCall, suffix: string): Record<string, unknown> => {
  const input = structuredClone(call.input);
  if (call.command === 'PutCommand') freshKey(input as Put, suffix);
  if (call.command === 'TransactWriteCommand') {
    for (const item of (input.TransactItems as { Put?: Put }[] | undefined) ?? []) freshKey(item.Put, suffix);
  }
  return input;
};

export interface RawLatency {
  p50Ms: number;
  p99Ms: number;
  /** `Get`, `Update+TransactWrite`, ... */
  sequence: string;
}

export const replayLatency = async (
  client: DynamoDBDocumentClient,
  calls: readonly RecordedCall[],
  iterations: number,
  warmup = 20,
): Promise<RawLatency> => {
  const samples: number[] = [];
  const run = `${Date.now().toString(36)}`;
  for (let iteration = 0; iteration < warmup + iterations; iteration++) {
    const commands = calls.map((call) => {
      const Command = COMMANDS[call.command];
      if (!Command) throw new Error(`cannot replay ${call.command}`);
      return new Command(replayInput(call, `replay-${run}-${iteration}`));
    });
    const started = performance.now();
    for (const command of commands) await client.send(command as Parameters<typeof client.send>[0]);
    const elapsed = performance.now() - started;
    if (iteration >= warmup) samples.push(elapsed);
  }
  return {
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    sequence: calls.map((call) => call.command.replace(/Command$/, '')).join('+'),
  };
};
