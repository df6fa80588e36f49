/**
 * Where the automation run stands, so that a run too big for one invocation goes on in the next one
 * (the job ticks every few minutes) instead of starting over or timing out: the instant the run
 * evaluates at, the candidate queries it planned, the query it is on and the key after the last page
 * it finished. One item for the account. A lease (token + expiry) lets only one invocation work on the
 * run; a crashed invocation's lease simply runs out.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CandidateQuery } from '../../domain/rules/automation-candidates.ts';
import { documentClient, isConditionFailure } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';

const table = () => physicalTableName('tickets');
const KEY = { pk: 'AUTOMATION_RUN', sk: 'STATE' };

/** How far a run got: the next page to read is `queries[query]` from `cursor` (none: its first page). */
export interface AutomationRunPosition {
  query: number;
  cursor?: Record<string, unknown>;
}

export interface AutomationRun extends AutomationRunPosition {
  /** The instant every condition of this run is evaluated at. */
  run_at: string;
  queries: CandidateQuery[];
}

export const isFinished = (run: AutomationRun): boolean => run.query >= run.queries.length;

export const getAutomationRun = async (): Promise<AutomationRun | undefined> => {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: KEY, ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    run_at: String(Item.run_at),
    queries: Item.queries as CandidateQuery[],
    query: Number(Item.query),
    ...(Item.cursor ? { cursor: Item.cursor as Record<string, unknown> } : {}),
  };
};

export interface RunLease {
  token: string;
  /** The caller's now: a lease that ended before it is free. */
  now: string;
  until: string;
}

/**
 * Takes the run the caller read (`seen`, undefined when there was none) if no one holds it: to go on
 * with it, or, with `start`, to replace it by a new run. False when another invocation got there first.
 */
export const leaseAutomationRun = async (
  lease: RunLease,
  seen: AutomationRun | undefined,
  start?: Pick<AutomationRun, 'run_at' | 'queries'>,
): Promise<boolean> => {
  const startNew = start
    ? { set: ', run_at = :runAt, queries = :queries, #query = :first', remove: ' REMOVE #cursor' }
    : { set: '', remove: '' };
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: KEY,
        UpdateExpression: `SET lease_token = :token, lease_until = :until${startNew.set}${startNew.remove}`,
        // The run must still be the one read (so two invocations never both start the hour's run).
        ConditionExpression: seen
          ? 'run_at = :seenRunAt AND (attribute_not_exists(lease_until) OR lease_until < :now)'
          : 'attribute_not_exists(pk)',
        ...(start ? { ExpressionAttributeNames: { '#query': 'query', '#cursor': 'cursor' } } : {}),
        ExpressionAttributeValues: {
          ':token': lease.token,
          ':until': lease.until,
          ...(seen ? { ':seenRunAt': seen.run_at, ':now': lease.now } : {}),
          ...(start ? { ':runAt': start.run_at, ':queries': start.queries, ':first': 0 } : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/**
 * Records how far the lease holder got; with `release`, also gives the run up for the next invocation.
 * Fails (a condition failure) if the lease was lost, so a stale holder never moves the run back.
 */
export const saveAutomationRunPosition = async (
  token: string,
  position: AutomationRunPosition,
  { release }: { release: boolean },
): Promise<void> => {
  const removals = [
    ...(position.cursor ? [] : ['#cursor']),
    ...(release ? ['lease_token', 'lease_until'] : []),
  ];
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: KEY,
      UpdateExpression: `SET #query = :query${position.cursor ? ', #cursor = :cursor' : ''}${
        removals.length ? ` REMOVE ${removals.join(', ')}` : ''
      }`,
      ConditionExpression: 'lease_token = :token',
      // Both are DynamoDB reserved words.
      ExpressionAttributeNames: { '#query': 'query', '#cursor': 'cursor' },
      ExpressionAttributeValues: {
        ':query': position.query,
        ':token': token,
        ...(position.cursor ? { ':cursor': position.cursor } : {}),
      },
    }),
  );
};
