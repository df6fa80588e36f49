/**
 * Intercepts the shared document client's `send` (shared/store/dynamo.ts) to ask DynamoDB for
 * ReturnConsumedCapacity: 'TOTAL' on every command and to record each command with what it cost, so one
 * in-process API call yields its exact DynamoDB call sequence (replayed later for raw latency).
 */
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface RecordedCall {
  /** The lib-dynamodb command class name (GetCommand, TransactWriteCommand, ...). */
  command: string;
  /** The input as sent, without ReturnConsumedCapacity. */
  input: Record<string, unknown>;
  /** Undefined when DynamoDB (Local) did not report capacity for this call. */
  capacity: ConsumedCapacity[] | undefined;
  failed: boolean;
}

const READ_COMMANDS = new Set([
  'GetCommand',
  'QueryCommand',
  'BatchGetCommand',
  'TransactGetCommand',
  'ScanCommand',
]);
export const isReadCommand = (command: string): boolean => READ_COMMANDS.has(command);

interface SendableCommand {
  constructor: { name: string };
  input: Record<string, unknown>;
}

export interface DynamoRecorder {
  /** Runs `operation` and returns the DynamoDB calls it made. */
  record<T>(operation: () => Promise<T>): Promise<{ result: T; calls: RecordedCall[] }>;
}

export const recordDocumentClient = (client: DynamoDBDocumentClient): DynamoRecorder => {
  let current: RecordedCall[] | undefined;
  const send = client.send.bind(client) as (command: SendableCommand, ...rest: unknown[]) => Promise<unknown>;
  const intercepted = async (command: SendableCommand, ...rest: unknown[]) => {
    const calls = current;
    if (!calls) return send(command, ...rest);
    const input = structuredClone(command.input);
    command.input.ReturnConsumedCapacity = 'TOTAL';
    try {
      const output = (await send(command, ...rest)) as {
        ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
      };
      const reported = output.ConsumedCapacity;
      calls.push({
        command: command.constructor.name,
        input,
        capacity: reported === undefined ? undefined : Array.isArray(reported) ? reported : [reported],
        failed: false,
      });
      return output;
    } catch (error) {
      calls.push({ command: command.constructor.name, input, capacity: undefined, failed: true });
      throw error;
    }
  };
  // The override is per instance; `send` is overloaded, hence the cast.
  (client as unknown as { send: typeof intercepted }).send = intercepted;
  return {
    async record(operation) {
      const calls: RecordedCall[] = [];
      current = calls;
      try {
        return { result: await operation(), calls };
      } finally {
        current = undefined;
      }
    },
  };
};

export interface CapacityTotals {
  readUnits: number;
  writeUnits: number;
  /** Calls that came back without ConsumedCapacity. */
  unreported: string[];
}

/** Sums capacity per call kind: with TOTAL, DynamoDB reports only CapacityUnits, so the command decides read or write. */
export const capacityTotals = (calls: readonly RecordedCall[]): CapacityTotals => {
  const totals: CapacityTotals = { readUnits: 0, writeUnits: 0, unreported: [] };
  for (const call of calls) {
    if (!call.capacity) {
      totals.unreported.push(call.command.replace(/Command$/, ''));
      continue;
    }
    const units = call.capacity.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
    if (isReadCommand(call.command)) totals.readUnits += units;
    else totals.writeUnits += units;
  }
  return totals;
};
