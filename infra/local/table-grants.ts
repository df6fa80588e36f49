/**
 * The local stand-in for the IAM grants CDK gives each function from its `tables` in the wiring table
 * (infra/topology.ts): while a function runs in the local runtime, a DynamoDB call on a table it was
 * not granted, or a write to one granted read-only, fails as AWS's AccessDeniedException would. In
 * one process every function could otherwise reach every table, and a missing grant would show only
 * after deployment.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { physicalTableName, type TableName, tableNames } from '../../shared/store/tables.ts';
import type { FunctionSpec } from '../topology.ts';

export class TableAccessDeniedError extends Error {
  override readonly name = 'AccessDeniedException';
  constructor(functionName: string, table: string, access: Access) {
    super(
      `${functionName} is not granted ${access} access to the ${table} table (infra/topology.ts \`tables\`)`,
    );
  }
}

type Access = 'read' | 'write';

interface Grant {
  functionName: string;
  spec: Pick<FunctionSpec, 'tables'>;
}

/**
 * What each DynamoDB command needs (both the low-level client's and the document client's names).
 * ConditionCheck is a read, as in CDK's grantReadData (dynamodb:ConditionCheckItem).
 */
const COMMAND_ACCESS: Readonly<Record<string, Access>> = {
  GetItemCommand: 'read',
  GetCommand: 'read',
  QueryCommand: 'read',
  ScanCommand: 'read',
  BatchGetItemCommand: 'read',
  BatchGetCommand: 'read',
  TransactGetItemsCommand: 'read',
  TransactGetCommand: 'read',
  PutItemCommand: 'write',
  PutCommand: 'write',
  UpdateItemCommand: 'write',
  UpdateCommand: 'write',
  DeleteItemCommand: 'write',
  DeleteCommand: 'write',
  BatchWriteItemCommand: 'write',
  BatchWriteCommand: 'write',
};

interface CommandInput {
  TableName?: string;
  RequestItems?: Record<string, unknown>;
  TransactItems?: readonly Record<string, { TableName?: string } | undefined>[];
}

/** The tables a command touches, with the access each needs. */
const tablesTouched = (name: string, input: CommandInput): [string, Access][] => {
  if (name === 'TransactWriteItemsCommand' || name === 'TransactWriteCommand') {
    return (input.TransactItems ?? []).flatMap((item) =>
      Object.entries(item).flatMap(([kind, operation]): [string, Access][] =>
        operation?.TableName ? [[operation.TableName, kind === 'ConditionCheck' ? 'read' : 'write']] : [],
      ),
    );
  }
  const access = COMMAND_ACCESS[name];
  if (!access) return [];
  if (input.TransactItems) {
    return input.TransactItems.flatMap((item) =>
      Object.values(item).flatMap((operation): [string, Access][] =>
        operation?.TableName ? [[operation.TableName, access]] : [],
      ),
    );
  }
  if (input.RequestItems) return Object.keys(input.RequestItems).map((table) => [table, access]);
  return input.TableName ? [[input.TableName, access]] : [];
};

const granted = (spec: Grant['spec'], table: TableName, access: Access): boolean =>
  spec.tables.some((grant) => grant.table === table && (access === 'read' || grant.mode === 'readWrite'));

const current = new AsyncLocalStorage<Grant>();

/** Runs a function's invocation under its grants: every DynamoDB call inside is checked. */
export const runWithGrants = <T>(
  functionName: string,
  spec: Grant['spec'],
  invocation: () => Promise<T>,
): Promise<T> => current.run({ functionName, spec }, invocation);

interface Sendable {
  send(command: { constructor: { name: string }; input?: CommandInput }, ...rest: unknown[]): unknown;
}

let installed = false;

/** Installs the check on this process's DynamoDB clients; calls outside `runWithGrants` pass as before. */
export const enforceTableGrants = (): void => {
  if (installed) return;
  installed = true;
  // DynamoDBClient and the lib-dynamodb document client share smithy's Client.prototype.send (as the
  // scan guard relies on too); other AWS clients' commands have other names and pass through.
  const smithyClient = Object.getPrototypeOf(DynamoDBClient.prototype) as Sendable;
  const send = smithyClient.send;
  smithyClient.send = function grantedSend(this: unknown, command, ...rest) {
    const grant = current.getStore();
    if (grant) {
      const logical = new Map(tableNames.map((table) => [physicalTableName(table), table]));
      for (const [physical, access] of tablesTouched(command.constructor.name, command.input ?? {})) {
        const table = logical.get(physical);
        if (!table || !granted(grant.spec, table, access)) {
          return Promise.reject(new TableAccessDeniedError(grant.functionName, physical, access));
        }
      }
    }
    return send.call(this, command, ...rest);
  };
};
