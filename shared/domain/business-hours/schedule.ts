/**
 * A business-hours schedule as the arithmetic sees it: Zendesk's weekly intervals in minutes since
 * Sunday 00:00 local time, holidays as inclusive local date ranges, and the zone they are read in.
 */

/** One period of business hours; `end_time` may be the midnight that ends the day (1440, 2880, … 10080). */
export interface BusinessInterval {
  start_time: number;
  end_time: number;
}

/** Closed all day from `start_date` to `end_date` inclusive (`YYYY-MM-DD`, local to the schedule). */
export interface HolidayDates {
  start_date: string;
  end_date: string;
}

export interface Schedule {
  /** A Zendesk (Rails) zone name such as `Eastern Time (US & Canada)`, or an IANA name. */
  time_zone: string;
  intervals: readonly BusinessInterval[];
  holidays: readonly HolidayDates[];
}

export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

const weekdayHours = (weekday: number, from: number, to: number): BusinessInterval => ({
  start_time: weekday * MINUTES_PER_DAY + from * 60,
  end_time: weekday * MINUTES_PER_DAY + to * 60,
});

/** What a new schedule starts with, as in Zendesk: Monday to Friday, 09:00 to 17:00. */
export const DEFAULT_WORKWEEK: readonly BusinessInterval[] = [1, 2, 3, 4, 5].map((weekday) =>
  weekdayHours(weekday, 9, 17),
);
