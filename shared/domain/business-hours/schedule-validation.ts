/**
 * What makes a schedule unusable, found at save time so the arithmetic never meets it. Each check
 * returns the problems as sentences naming the offending value (empty when there are none); the use
 * case turns them into a 422.
 */
import { type BusinessInterval, type HolidayDates, MINUTES_PER_DAY, MINUTES_PER_WEEK } from './schedule.ts';
import { ianaZoneName } from './time-zones.ts';

const describe = ({ start_time, end_time }: BusinessInterval) => `${start_time}–${end_time}`;

export const timeZoneProblems = (timeZone: string): string[] =>
  ianaZoneName(timeZone)
    ? []
    : [`Time zone: ${JSON.stringify(timeZone)} is not a known time zone (use a Zendesk or IANA zone name)`];

const intervalProblem = (interval: BusinessInterval): string | undefined => {
  const { start_time, end_time } = interval;
  if (!Number.isInteger(start_time) || !Number.isInteger(end_time))
    return `Intervals: ${describe(interval)} must be whole minutes`;
  if (start_time < 0 || end_time > MINUTES_PER_WEEK)
    return `Intervals: ${describe(interval)} is outside the week (0 to ${MINUTES_PER_WEEK} minutes since Sunday 00:00)`;
  if (end_time <= start_time) return `Intervals: ${describe(interval)} must end after it starts`;
  // The day ends at the midnight after the start: 1440 closes Sunday, and nothing may run past it.
  const endOfDay = (Math.floor(start_time / MINUTES_PER_DAY) + 1) * MINUTES_PER_DAY;
  if (end_time > endOfDay)
    return `Intervals: ${describe(interval)} spans more than one day (split it at midnight, ${endOfDay})`;
  return undefined;
};

export const intervalProblems = (intervals: readonly BusinessInterval[]): string[] => {
  const problems = intervals.map(intervalProblem).filter((problem) => problem !== undefined);
  if (problems.length) return problems;
  const ordered = [...intervals].sort((a, b) => a.start_time - b.start_time);
  return ordered.flatMap((interval, index) => {
    const previous = ordered[index - 1];
    return previous && interval.start_time < previous.end_time
      ? [`Intervals: ${describe(previous)} and ${describe(interval)} overlap`]
      : [];
  });
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in `YYYY-MM-DD` form (2026-02-30 is not one). */
export const isCalendarDate = (value: string): boolean => {
  const match = DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

export const holidayProblems = (holiday: HolidayDates): Record<'start_date' | 'end_date', string[]> => {
  const start = isCalendarDate(holiday.start_date)
    ? []
    : [`Start date: ${JSON.stringify(holiday.start_date)} is not a date (YYYY-MM-DD)`];
  const end = isCalendarDate(holiday.end_date)
    ? []
    : [`End date: ${JSON.stringify(holiday.end_date)} is not a date (YYYY-MM-DD)`];
  if (!start.length && !end.length && holiday.end_date < holiday.start_date)
    end.push(`End date: ${holiday.end_date} is before the start date ${holiday.start_date}`);
  return { start_date: start, end_date: end };
};
