/**
 * The local stand-in for the IAM grants CDK gives each function from its entry in the wiring table
 * (infra/topology.ts): while a function runs in the local runtime, a DynamoDB call on a table it was
 * not granted (or a write to one granted read-only), mail sent without `sendsMail`, or a timer kept
 * without `timers` fails as AWS's AccessDeniedException would. In one process every function could
 * otherwise reach everything, and a missing grant would show only after deployment.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { physicalTableName, type TableName, tableNames } from '../../shared/store/tables.ts';
import type { FunctionSpec } from '../topology.ts';
import { guardSdkSends, type SdkCommand } from './sdk-send-guard.ts';

export class AccessDeniedError extends Error {
  override readonly name = 'AccessDeniedException';
  constructor(functionName: string, what: string) {
    super(`${functionName} is not granted ${what} (infra/topology.ts)`);
  }
}

const tableAccessDenied = (functionName: string, table: string, access: Access) =>
  new AccessDeniedError(functionName, `${access} access to the ${table} table`);

type Access = 'read' | 'write';

const CURRENT_GRANT = Symbol.for('relaydesk.current-grant');

type GrantedSpec = Pick<FunctionSpec, 'tables' | 'sendsMail' | 'timers'>;

interface Grant {
  functionName: string;
  spec: GrantedSpec;
}

/** Commands of other services, and the capability flag each needs. */
const CAPABILITY_COMMANDS: Readonly<Record<string, { flag: 'sendsMail' | 'timers'; what: string }>> = {
  SendRawEmailCommand: { flag: 'sendsMail', what: 'sendsMail (SES)' },
  SendEmailCommand: { flag: 'sendsMail', what: 'sendsMail (SES)' },
  CreateScheduleCommand: { flag: 'timers', what: 'timers (EventBridge Scheduler)' },
  UpdateScheduleCommand: { flag: 'timers', what: 'timers (EventBridge Scheduler)' },
  DeleteScheduleCommand: { flag: 'timers', what: 'timers (EventBridge Scheduler)' },
  GetScheduleCommand: { flag: 'timers', what: 'timers (EventBridge Scheduler)' },
};

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

type CommandInput = NonNullable<SdkCommand['input']>;

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

const granted = (spec: GrantedSpec, table: TableName, access: Access): boolean =>
  spec.tables.some((grant) => grant.table === table && (access === 'read' || grant.mode === 'readWrite'));

/**
 * On the process, not the module: the guard is installed once per loaded SDK (sdk-send-guard.ts),
 * while a test runner may evaluate this module once per test file; all must share one context.
 */
const processState = globalThis as typeof globalThis & { [CURRENT_GRANT]?: AsyncLocalStorage<Grant> };
const current = processState[CURRENT_GRANT] ?? new AsyncLocalStorage<Grant>();
processState[CURRENT_GRANT] = current;

/** Runs a function's invocation under its grants: every DynamoDB call inside is checked. */
export const runWithGrants = <T>(
  functionName: string,
  spec: GrantedSpec,
  invocation: () => Promise<T>,
): Promise<T> => current.run({ functionName, spec }, invocation);

/** The reason a function may not send this command; undefined when it may. */
const denial = (grant: Grant, name: string, input: CommandInput): AccessDeniedError | undefined => {
  const capability = CAPABILITY_COMMANDS[name];
  if (capability && !grant.spec[capability.flag])
    return new AccessDeniedError(grant.functionName, capability.what);
  const logical = new Map(tableNames.map((table) => [physicalTableName(table), table]));
  for (const [physical, access] of tablesTouched(name, input)) {
    const table = logical.get(physical);
    if (!table || !granted(grant.spec, table, access)) {
      return tableAccessDenied(grant.functionName, physical, access);
    }
  }
  return undefined;
};

/** Installs the check on this process's AWS clients; calls outside `runWithGrants` pass as before. */
export const enforceFunctionGrants = (): void =>
  guardSdkSends('function-grants', (command) => {
    const grant = current.getStore();
    return grant && denial(grant, command.constructor.name, command.input ?? {});
  });
