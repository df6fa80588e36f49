/**
 * Every AWS SDK v3 client (DynamoDB, its document client, SES, Scheduler) sends through smithy's
 * Client.prototype.send; the local runtime's guards (no Scan, function grants) wrap it. Each guard is
 * installed once per loaded SDK and marked on the prototype itself: a test runner may evaluate our
 * modules once per test file while the SDK stays loaded, and a flag in our module would wrap it again.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface SdkCommand {
  constructor: { name: string };
  input?: {
    TableName?: string;
    RequestItems?: Record<string, unknown>;
    TransactItems?: readonly Record<string, { TableName?: string } | undefined>[];
  };
}

type Send = (this: unknown, command: SdkCommand, ...rest: unknown[]) => unknown;

/** Refuses every command `refusal` answers with an error, before it leaves the process. */
export const guardSdkSends = (guard: string, refusal: (command: SdkCommand) => Error | undefined): void => {
  const smithyClient = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: Send } & Record<
    symbol,
    unknown
  >;
  const mark = Symbol.for(`relaydesk.${guard}`);
  if (smithyClient[mark]) return;
  smithyClient[mark] = true;
  const send = smithyClient.send;
  smithyClient.send = function guardedSend(this: unknown, command, ...rest) {
    const refused = refusal(command);
    if (refused) return Promise.reject(refused);
    return send.call(this, command, ...rest);
  };
};
