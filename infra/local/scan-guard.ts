/**
 * Fails any DynamoDB Scan issued by this process. Relaydesk's rule is "no scan on any request or event
 * path"; the test run and the end-to-end runtime install this guard so a scan fails loudly.
 */
import { guardSdkSends } from './sdk-send-guard.ts';

export class ScanForbiddenError extends Error {
  constructor(table: unknown) {
    super(`A DynamoDB Scan was issued (table ${String(table)}): every read must be a Get or a Query`);
  }
}

export const forbidScans = (): void =>
  guardSdkSends('scan-guard', (command) =>
    command.constructor.name === 'ScanCommand' ? new ScanForbiddenError(command.input?.TableName) : undefined,
  );
