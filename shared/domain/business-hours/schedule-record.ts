/**
 * A stored schedule: the arithmetic's Schedule plus its identity, its named holidays and the groups
 * and organizations whose tickets run on it (a Relaydesk extension; Zendesk sets a ticket's schedule
 * with triggers). Holidays live inside the schedule so one read yields everything the arithmetic needs.
 */
import type { BusinessInterval, HolidayDates, Schedule } from './schedule.ts';

export interface Holiday extends HolidayDates {
  id: number;
  name: string;
}

export interface ScheduleRecord extends Schedule {
  id: number;
  name: string;
  intervals: BusinessInterval[];
  holidays: Holiday[];
  group_ids: number[];
  organization_ids: number[];
  created_at: string;
  updated_at: string;
  version: number;
}

/** Who a ticket is, as far as choosing its schedule goes. */
export interface ScheduleSubject {
  group_id?: number | null;
  organization_id?: number | null;
}

/**
 * The account default: the oldest schedule. Zendesk makes the first schedule created the default;
 * deriving it (rather than flagging it) means deleting the default makes the next oldest one the
 * default without a second write.
 */
export const defaultSchedule = (schedules: readonly ScheduleRecord[]): ScheduleRecord | undefined =>
  schedules.reduce<ScheduleRecord | undefined>(
    (oldest, schedule) => (!oldest || schedule.id < oldest.id ? schedule : oldest),
    undefined,
  );

/** The ticket's group's schedule, else its organization's, else the default; none when there are none. */
export const scheduleFor = (
  schedules: readonly ScheduleRecord[],
  subject: ScheduleSubject,
): ScheduleRecord | undefined => {
  const { group_id, organization_id } = subject;
  return (
    (group_id ? schedules.find((schedule) => schedule.group_ids.includes(group_id)) : undefined) ??
    (organization_id
      ? schedules.find((schedule) => schedule.organization_ids.includes(organization_id))
      : undefined) ??
    defaultSchedule(schedules)
  );
};
