/** Schedules and holidays on the wire, as Zendesk's Schedules API shows them. */
import type { Holiday, ScheduleRecord } from '../../domain/business-hours/schedule-record.ts';

export const serializeSchedule = (schedule: ScheduleRecord): Record<string, unknown> => ({
  id: schedule.id,
  name: schedule.name,
  time_zone: schedule.time_zone,
  intervals: schedule.intervals.map(({ start_time, end_time }) => ({ start_time, end_time })),
  created_at: schedule.created_at,
  updated_at: schedule.updated_at,
});

export const serializeHoliday = (holiday: Holiday): Record<string, unknown> => ({
  id: holiday.id,
  name: holiday.name,
  start_date: holiday.start_date,
  end_date: holiday.end_date,
});

/** Relaydesk's extension: the groups and organizations whose tickets run on the schedule. */
export const serializeAssignments = (schedule: ScheduleRecord): Record<string, unknown> => ({
  group_ids: schedule.group_ids,
  organization_ids: schedule.organization_ids,
});
