/**
 * Business-hours schedules in the config table, one item each under kind `schedule`, holidays and
 * group/organization assignments inside (an item holds thousands of holidays within DynamoDB's 400 KB;
 * the use case caps them well below). An account holds a handful of schedules, so lists read the kind.
 */
import { DeleteCommand, GetCommand, PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ScheduleRecord } from '../domain/business-hours/schedule-record.ts';
import { UpdateConflictError } from '../domain/errors.ts';
import { allocateId } from './counters.ts';
import { documentClient, isConditionFailure } from './dynamo.ts';
import { fromItem, toItem } from './items.ts';
import { queryAllOfKind } from './pagination.ts';
import { physicalTableName } from './tables.ts';
import { TransactionConflict, writeTransaction } from './transactions.ts';

const KIND = 'schedule';
const table = () => physicalTableName('config');
const scheduleKey = (id: number) => ({ pk: `SCHEDULE#${id}`, sk: 'SCHEDULE' });

export const allocateScheduleId = () => allocateId('config', KIND);
/** Holiday ids are account-wide, as Zendesk's are. */
export const allocateHolidayId = () => allocateId('config', 'holiday');

export const getSchedule = async (id: number): Promise<ScheduleRecord | undefined> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: scheduleKey(id) }));
  return result.Item ? fromItem<ScheduleRecord>(result.Item) : undefined;
};

/** Every schedule, oldest first. */
export const listAllSchedules = async (): Promise<ScheduleRecord[]> =>
  (await queryAllOfKind(table(), KIND)).map((item) => fromItem<ScheduleRecord>(item));

/** A schedule to write: new, or `next` replacing `previous` unless someone changed it meanwhile. */
export interface ScheduleWrite {
  next: ScheduleRecord;
  previous?: ScheduleRecord;
}

const putOf = ({ next, previous }: ScheduleWrite): { input: PutCommandInput; stored: ScheduleRecord } => {
  const stored = previous ? { ...next, version: previous.version + 1 } : next;
  const input: PutCommandInput = {
    TableName: table(),
    Item: toItem(stored, { ...scheduleKey(stored.id), kind: KIND }, { id: stored.id }),
    ...(previous
      ? {
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': previous.version },
        }
      : { ConditionExpression: 'attribute_not_exists(pk)' }),
  };
  return { input, stored };
};

export const putSchedule = async (write: ScheduleWrite): Promise<ScheduleRecord> => {
  const { input, stored } = putOf(write);
  try {
    await documentClient().send(new PutCommand(input));
  } catch (error) {
    if (isConditionFailure(error)) throw new UpdateConflictError();
    throw error;
  }
  return stored;
};

/** Several schedules at once, all or none (moving an assignment from one schedule to another). */
export const putSchedules = async (writes: readonly ScheduleWrite[]): Promise<ScheduleRecord[]> => {
  const puts = writes.map(putOf);
  try {
    await writeTransaction(puts.map(({ input }) => ({ label: 'version', item: { Put: input } })));
  } catch (error) {
    if (error instanceof TransactionConflict) throw new UpdateConflictError();
    throw error;
  }
  return puts.map(({ stored }) => stored);
};

export const deleteSchedule = async (schedule: ScheduleRecord): Promise<void> => {
  try {
    await documentClient().send(
      new DeleteCommand({
        TableName: table(),
        Key: scheduleKey(schedule.id),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': schedule.version },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new UpdateConflictError();
    throw error;
  }
};
