/**
 * Business-time arithmetic over a schedule: the instant at which a target of N business minutes,
 * started at some instant, runs out (the breach instant), and the business minutes between two
 * instants. Instants are epoch milliseconds.
 *
 * Where wall-clock time and real time part ways:
 * - Each interval is placed on its local day by wall-clock time, so 09:00–17:00 is 8 business hours
 *   on every day, DST days included; only an interval the jump falls inside changes length
 *   (00:00–04:00 holds 3 real hours on a spring-forward night, 5 on a fall-back night).
 * - A boundary whose wall-clock time is skipped by a jump forward is placed at the jump: skipped
 *   wall-clock time is never business time. (luxon reads 02:30 as 03:30 instead, which can put an
 *   interval's end before its start or make two intervals overlap.)
 * - A boundary whose wall-clock time occurs twice (fall back) takes the first occurrence, as
 *   ActiveSupport does: business hours open the first time the clock shows the opening time.
 * - Intervals are half-open: an interval's end is outside it, but a target that runs out exactly
 *   there breaches at the end (17:00), not when business hours next open. Adjacent intervals
 *   (Monday 20:00–24:00, Tuesday 00:00–04:00) therefore chain without a gap.
 * - Holidays close whole local days.
 * With no schedule at all, business time is calendar time. A schedule without intervals has no
 * business time: a positive target never runs out, which the result says as `undefined`.
 */
import { MINUTES_PER_DAY, type Schedule } from './schedule.ts';
import { ianaZoneName } from './time-zones.ts';
import { DAY_MS, MINUTE_MS, type ZoneOffsets, zoneOffsets } from './zone-offsets.ts';

/** Epoch milliseconds. */
export type Instant = number;

type Period = readonly [start: Instant, end: Instant];

/** A schedule ready for arithmetic. Local days are numbered from 1970-01-01 (day 0, a Thursday). */
interface PreparedSchedule {
  offsets: ZoneOffsets;
  /** Per weekday (0 = Sunday), the intervals as [start, end] minutes of that day, in order. */
  weekdays: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  weeklyMs: number;
  /** Inclusive ranges of local day numbers. */
  holidays: ReadonlyArray<readonly [number, number]>;
}

/** A local week, Sunday 00:00 to the next Sunday 00:00, as instants. */
interface Week {
  firstDay: number;
  start: Instant;
  end: Instant;
}

/** The day number of a `YYYY-MM-DD` date. */
export const localDayOf = (date: string): number => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / DAY_MS;
};

const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;

const prepared = new WeakMap<Schedule, PreparedSchedule>();

const prepare = (schedule: Schedule): PreparedSchedule => {
  const known = prepared.get(schedule);
  if (known) return known;
  const zone = ianaZoneName(schedule.time_zone);
  if (!zone) throw new RangeError(`Unknown time zone ${schedule.time_zone}`);
  const weekdays = Array.from({ length: 7 }, () => [] as [number, number][]);
  let weeklyMinutes = 0;
  for (const { start_time, end_time } of schedule.intervals) {
    const weekday = Math.floor(start_time / MINUTES_PER_DAY);
    const dayStart = weekday * MINUTES_PER_DAY;
    weekdays[weekday]?.push([start_time - dayStart, end_time - dayStart]);
    weeklyMinutes += end_time - start_time;
  }
  for (const intervals of weekdays) intervals.sort((a, b) => a[0] - b[0]);
  const result: PreparedSchedule = {
    offsets: zoneOffsets(zone),
    weekdays,
    weeklyMs: weeklyMinutes * MINUTE_MS,
    holidays: schedule.holidays.map((holiday) => [
      localDayOf(holiday.start_date),
      localDayOf(holiday.end_date),
    ]),
  };
  prepared.set(schedule, result);
  return result;
};

const EARLIEST_OFFSET_MS = -12 * 60 * MINUTE_MS;
const LATEST_OFFSET_MS = 14 * 60 * MINUTE_MS;

/**
 * The instant a local wall-clock time (given as epoch ms as if it were UTC) denotes, by the rules
 * in the module comment. Offsets lie within −12:00..+14:00, so the instant is within that window of
 * the wall-clock reading; the tz database never changes a zone's offset twice in such a window.
 */
const instantOfWallClock = (offsets: ZoneOffsets, wallClock: number): Instant => {
  const before = offsets.offsetAt(wallClock - LATEST_OFFSET_MS);
  const after = offsets.offsetAt(wallClock - EARLIEST_OFFSET_MS);
  // The larger offset gives the earlier instant: try it first, so a repeated time reads as its first.
  for (const offset of before >= after ? [before, after] : [after, before]) {
    const instant = wallClock - offset * MINUTE_MS;
    if (offsets.offsetAt(instant) === offset) return instant;
  }
  // Neither offset holds: the time was skipped, and the jump lies between the two readings.
  const earliest = wallClock - after * MINUTE_MS;
  return offsets.nextTransition(earliest, wallClock - before * MINUTE_MS) ?? earliest;
};

const weekStarting = (schedule: PreparedSchedule, firstDay: number, start?: Instant): Week => ({
  firstDay,
  start: start ?? instantOfWallClock(schedule.offsets, firstDay * DAY_MS),
  end: instantOfWallClock(schedule.offsets, (firstDay + 7) * DAY_MS),
});

const weekContaining = (schedule: PreparedSchedule, instant: Instant): Week => {
  const localDay = Math.floor((instant + schedule.offsets.offsetAt(instant) * MINUTE_MS) / DAY_MS);
  return weekStarting(schedule, localDay - weekdayOf(localDay));
};

const nextWeek = (schedule: PreparedSchedule, week: Week): Week =>
  weekStarting(schedule, week.firstDay + 7, week.end);

const isHoliday = (schedule: PreparedSchedule, day: number): boolean =>
  schedule.holidays.some(([first, last]) => first <= day && day <= last);

/** No offset change inside the week: every wall-clock time in it is the week's start plus its minutes. */
const hasFixedOffset = (schedule: PreparedSchedule, week: Week): boolean =>
  schedule.offsets.nextTransition(week.start, week.end - 1) === undefined;

/** A week whose business time is exactly the weekly template, so it can be skipped arithmetically. */
const isOrdinaryWeek = (schedule: PreparedSchedule, week: Week): boolean =>
  hasFixedOffset(schedule, week) &&
  !schedule.holidays.some(([first, last]) => first <= week.firstDay + 6 && last >= week.firstDay);

/** The week's business periods, in order (none empty, none overlapping). */
const periodsOf = (schedule: PreparedSchedule, week: Week): Period[] => {
  const fixedOffset = hasFixedOffset(schedule, week);
  const periods: Period[] = [];
  schedule.weekdays.forEach((intervals, weekday) => {
    const day = week.firstDay + weekday;
    if (!intervals.length || isHoliday(schedule, day)) return;
    const instantAt = (minuteOfDay: number): Instant =>
      fixedOffset
        ? week.start + (weekday * MINUTES_PER_DAY + minuteOfDay) * MINUTE_MS
        : instantOfWallClock(schedule.offsets, day * DAY_MS + minuteOfDay * MINUTE_MS);
    for (const [from, to] of intervals) {
      const start = instantAt(from);
      const end = instantAt(to);
      if (end > start) periods.push([start, end]);
    }
  });
  return periods;
};

const assertMinutes = (minutes: number): void => {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`Business minutes must be a finite, non-negative number, got ${minutes}`);
  }
};

/**
 * The instant at which `minutes` of business time have elapsed since `start`: inside business hours
 * or at the end of an interval. Zero minutes elapse at `start` itself. `undefined` when the schedule
 * has no intervals (the target never runs out).
 */
export const addBusinessMinutes = (
  schedule: Schedule | undefined,
  start: Instant,
  minutes: number,
): Instant | undefined => {
  assertMinutes(minutes);
  if (!schedule) return start + minutes * MINUTE_MS;
  if (minutes === 0) return start;
  const prepared = prepare(schedule);
  if (prepared.weeklyMs === 0) return undefined;
  let remaining = minutes * MINUTE_MS;
  for (let week = weekContaining(prepared, start); ; week = nextWeek(prepared, week)) {
    // Strictly more than a week left: the breach is in a later week, so this one needs no detail.
    if (week.start >= start && remaining > prepared.weeklyMs && isOrdinaryWeek(prepared, week)) {
      remaining -= prepared.weeklyMs;
      continue;
    }
    for (const [from, to] of periodsOf(prepared, week)) {
      if (to <= start) continue;
      const available = to - Math.max(from, start);
      if (remaining <= available) return Math.max(from, start) + remaining;
      remaining -= available;
    }
  }
};

/** Business minutes in [from, to), fractional when the instants are; 0 when `to` is not after `from`. */
export const businessMinutesBetween = (
  schedule: Schedule | undefined,
  from: Instant,
  to: Instant,
): number => {
  if (to <= from) return 0;
  if (!schedule) return (to - from) / MINUTE_MS;
  const prepared = prepare(schedule);
  if (prepared.weeklyMs === 0) return 0;
  let total = 0;
  for (let week = weekContaining(prepared, from); week.start < to; week = nextWeek(prepared, week)) {
    if (week.start >= from && week.end <= to && isOrdinaryWeek(prepared, week)) {
      total += prepared.weeklyMs;
      continue;
    }
    for (const [start, end] of periodsOf(prepared, week)) {
      total += Math.max(0, Math.min(end, to) - Math.max(start, from));
    }
  }
  return total / MINUTE_MS;
};

/**
 * The first instant at or after `instant` that is inside business hours (`instant` itself when it
 * is). `undefined` when the schedule has no intervals. Without a schedule every instant qualifies.
 */
export const nextBusinessStart = (schedule: Schedule | undefined, instant: Instant): Instant | undefined => {
  if (!schedule) return instant;
  const prepared = prepare(schedule);
  if (prepared.weeklyMs === 0) return undefined;
  for (let week = weekContaining(prepared, instant); ; week = nextWeek(prepared, week)) {
    const period = periodsOf(prepared, week).find(([, end]) => end > instant);
    if (period) return Math.max(period[0], instant);
  }
};

export const isInBusinessHours = (schedule: Schedule | undefined, instant: Instant): boolean =>
  nextBusinessStart(schedule, instant) === instant;
