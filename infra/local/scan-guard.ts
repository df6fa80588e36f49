/**
 * Fails any DynamoDB Scan issued by this process. Relaydesk's rule is "no scan on any request or event
 * path"; the test run and the end-to-end runtime install this guard so a scan fails loudly.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export class ScanForbiddenError extends Error {
  constructor(table: unknown) {
    super(`A DynamoDB Scan was issued (table ${String(table)}): every read must be a Get or a Query`);
  }
}

interface Sendable {
  send(
    command: { constructor: { name: string }; input?: { TableName?: string } },
    ...rest: unknown[]
  ): unknown;
}

let installed = false;

export const forbidScans = (): void => {
  if (installed) return;
  installed = true;
  // DynamoDBClient and the lib-dynamodb document client share smithy's Client.prototype.send.
  const smithyClient = Object.getPrototypeOf(DynamoDBClient.prototype) as Sendable;
  const send = smithyClient.send;
  smithyClient.send = function guardedSend(this: unknown, command, ...rest) {
    if (command.constructor.name === 'ScanCommand') {
      return Promise.reject(new ScanForbiddenError(command.input?.TableName));
    }
    return send.call(this, command, ...rest);
  };
};
