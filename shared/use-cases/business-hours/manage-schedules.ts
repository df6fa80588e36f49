/**
 * Business-hours schedules, their workweek and holidays (Zendesk's Schedules API), and which groups
 * and organizations run on each (Relaydesk's extension). Every save is validated first, so a stored
 * schedule always computes: a bad zone, interval or holiday is a 422 naming it. A new schedule starts
 * with Zendesk's Monday–Friday 09:00–17:00 week and no holidays.
 */

import { type BusinessInterval, DEFAULT_WORKWEEK } from '../../domain/business-hours/schedule.ts';
import type { Holiday, ScheduleRecord } from '../../domain/business-hours/schedule-record.ts';
import {
  holidayProblems,
  intervalProblems,
  timeZoneProblems,
} from '../../domain/business-hours/schedule-validation.ts';
import { type FieldError, NotFoundError, UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import type { AssignmentsInput, HolidayInput, ScheduleInput } from '../../http/schemas/schedule-input.ts';
import { getGroups } from '../../store/directory/groups.ts';
import { getOrganizations } from '../../store/directory/organizations.ts';
import {
  allocateHolidayId,
  allocateScheduleId,
  getSchedule,
  listAllSchedules,
  putSchedule,
  putSchedules,
  deleteSchedule as removeSchedule,
} from '../../store/schedules.ts';

/** Keeps a schedule item far below DynamoDB's 400 KB (a holiday takes about 100 bytes). */
export const MAX_HOLIDAYS_PER_SCHEDULE = 1000;

const failIfAny = (details: Record<string, string[]>): void => {
  const found = Object.entries(details).filter(([, problems]) => problems.length);
  if (found.length) {
    throw new ValidationError(
      Object.fromEntries(
        found.map(([field, problems]): [string, FieldError[]] => [
          field,
          problems.map((description) => ({ description, error: 'InvalidValue' })),
        ]),
      ),
    );
  }
};

const blank = (value: string | undefined) => value === undefined || !value.trim();

const checkedSchedule = (schedule: ScheduleRecord): ScheduleRecord => {
  if (blank(schedule.name)) throw ValidationError.field('name', 'Name: cannot be blank', 'BlankValue');
  if (blank(schedule.time_zone))
    throw ValidationError.field('time_zone', 'Time zone: cannot be blank', 'BlankValue');
  failIfAny({ time_zone: timeZoneProblems(schedule.time_zone) });
  return schedule;
};

export const listSchedules = (): Promise<ScheduleRecord[]> => listAllSchedules();

export const getLiveSchedule = async (id: number): Promise<ScheduleRecord> => {
  const schedule = await getSchedule(id);
  if (!schedule) throw new NotFoundError();
  return schedule;
};

export const createSchedule = async (input: ScheduleInput, now: string): Promise<ScheduleRecord> => {
  const draft = checkedSchedule({
    id: 0,
    name: input.name ?? '',
    time_zone: input.time_zone ?? '',
    intervals: [...DEFAULT_WORKWEEK],
    holidays: [],
    group_ids: [],
    organization_ids: [],
    created_at: now,
    updated_at: now,
    version: 1,
  });
  return putSchedule({ next: { ...draft, id: await allocateScheduleId() } });
};

/** Applies `change` to the current schedule, retrying when a concurrent write got there first. */
const changeSchedule = async (
  id: number,
  change: (schedule: ScheduleRecord) => ScheduleRecord,
): Promise<ScheduleRecord> => {
  for (let attempt = 1; ; attempt++) {
    const previous = await getLiveSchedule(id);
    try {
      return await putSchedule({ next: change(previous), previous });
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === 3) throw error;
    }
  }
};

export const updateSchedule = (id: number, input: ScheduleInput, now: string): Promise<ScheduleRecord> =>
  changeSchedule(id, (schedule) =>
    checkedSchedule({
      ...schedule,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.time_zone !== undefined ? { time_zone: input.time_zone } : {}),
      updated_at: now,
    }),
  );

/** Replaces the weekly intervals (Zendesk's only way to write them); stored in week order. */
export const updateWorkweek = (
  id: number,
  intervals: readonly BusinessInterval[],
  now: string,
): Promise<ScheduleRecord> => {
  failIfAny({ intervals: intervalProblems(intervals) });
  const ordered = [...intervals]
    .map(({ start_time, end_time }) => ({ start_time, end_time }))
    .sort((a, b) => a.start_time - b.start_time);
  return changeSchedule(id, (schedule) => ({ ...schedule, intervals: ordered, updated_at: now }));
};

export const deleteSchedule = async (id: number): Promise<void> => {
  await removeSchedule(await getLiveSchedule(id));
};

const byStartDate = (a: Holiday, b: Holiday) => a.start_date.localeCompare(b.start_date) || a.id - b.id;

export const listHolidays = async (scheduleId: number): Promise<Holiday[]> =>
  [...(await getLiveSchedule(scheduleId)).holidays].sort(byStartDate);

const holidayIn = (schedule: ScheduleRecord, holidayId: number): Holiday => {
  const holiday = schedule.holidays.find((candidate) => candidate.id === holidayId);
  if (!holiday) throw new NotFoundError();
  return holiday;
};

export const getHoliday = async (scheduleId: number, holidayId: number): Promise<Holiday> =>
  holidayIn(await getLiveSchedule(scheduleId), holidayId);

const checkedHoliday = (holiday: Holiday): Holiday => {
  if (blank(holiday.name)) throw ValidationError.field('name', 'Name: cannot be blank', 'BlankValue');
  failIfAny(holidayProblems(holiday));
  return holiday;
};

export const createHoliday = async (
  scheduleId: number,
  input: HolidayInput,
  now: string,
): Promise<Holiday> => {
  const draft = checkedHoliday({
    id: 0,
    name: input.name ?? '',
    start_date: input.start_date ?? '',
    end_date: input.end_date ?? '',
  });
  if ((await getLiveSchedule(scheduleId)).holidays.length >= MAX_HOLIDAYS_PER_SCHEDULE) {
    throw ValidationError.field(
      'base',
      `A schedule holds at most ${MAX_HOLIDAYS_PER_SCHEDULE} holidays`,
      'TooManyHolidays',
    );
  }
  const holiday = { ...draft, id: await allocateHolidayId() };
  await changeSchedule(scheduleId, (schedule) => ({
    ...schedule,
    holidays: [...schedule.holidays, holiday],
    updated_at: now,
  }));
  return holiday;
};

export const updateHoliday = async (
  scheduleId: number,
  holidayId: number,
  input: HolidayInput,
  now: string,
): Promise<Holiday> => {
  const schedule = await changeSchedule(scheduleId, (current) => {
    const changed = checkedHoliday({
      ...holidayIn(current, holidayId),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.start_date !== undefined ? { start_date: input.start_date } : {}),
      ...(input.end_date !== undefined ? { end_date: input.end_date } : {}),
    });
    return {
      ...current,
      holidays: current.holidays.map((holiday) => (holiday.id === holidayId ? changed : holiday)),
      updated_at: now,
    };
  });
  return holidayIn(schedule, holidayId);
};

export const deleteHoliday = async (scheduleId: number, holidayId: number, now: string): Promise<void> => {
  await changeSchedule(scheduleId, (schedule) => {
    holidayIn(schedule, holidayId);
    return {
      ...schedule,
      holidays: schedule.holidays.filter((holiday) => holiday.id !== holidayId),
      updated_at: now,
    };
  });
};

const unknownIds = (asked: readonly number[], found: readonly { id: number }[]) =>
  asked.filter((id) => !found.some((record) => record.id === id));

/**
 * Sets which groups and organizations run on this schedule. A group or organization runs on one
 * schedule at most, so naming it here takes it off any other: all the schedules touched are written
 * in one transaction, or none is.
 */
export const assignSchedule = async (
  id: number,
  input: AssignmentsInput,
  now: string,
): Promise<ScheduleRecord> => {
  const schedules = await listAllSchedules();
  const target = schedules.find((schedule) => schedule.id === id);
  if (!target) throw new NotFoundError();
  const groupIds = [...new Set(input.group_ids ?? target.group_ids)].sort((a, b) => a - b);
  const organizationIds = [...new Set(input.organization_ids ?? target.organization_ids)].sort(
    (a, b) => a - b,
  );
  const [groups, organizations] = await Promise.all([getGroups(groupIds), getOrganizations(organizationIds)]);
  const missingGroups = unknownIds(
    groupIds,
    groups.filter((group) => !group.deleted),
  );
  const missingOrganizations = unknownIds(organizationIds, organizations);
  failIfAny({
    group_ids: missingGroups.length ? [`Group ids: no group ${missingGroups.join(', ')}`] : [],
    organization_ids: missingOrganizations.length
      ? [`Organization ids: no organization ${missingOrganizations.join(', ')}`]
      : [],
  });
  const next = { ...target, group_ids: groupIds, organization_ids: organizationIds, updated_at: now };
  const released = schedules
    .filter((schedule) => schedule.id !== id)
    .map((previous) => ({
      previous,
      next: {
        ...previous,
        group_ids: previous.group_ids.filter((groupId) => !groupIds.includes(groupId)),
        organization_ids: previous.organization_ids.filter((orgId) => !organizationIds.includes(orgId)),
        updated_at: now,
      },
    }))
    .filter(
      ({ previous, next: other }) =>
        other.group_ids.length !== previous.group_ids.length ||
        other.organization_ids.length !== previous.organization_ids.length,
    );
  if (!released.length) return putSchedule({ next, previous: target });
  const [written] = await putSchedules([{ next, previous: target }, ...released]);
  return written as ScheduleRecord;
};
