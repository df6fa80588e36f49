import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKWEEK } from '../../shared/domain/business-hours/schedule.ts';
import {
  holidayProblems,
  intervalProblems,
  isCalendarDate,
  timeZoneProblems,
} from '../../shared/domain/business-hours/schedule-validation.ts';

describe('time zones a schedule may name', () => {
  it.each([
    'Eastern Time (US & Canada)',
    'Berlin',
    'Chennai',
    'UTC',
    'America/New_York',
    'Asia/Kolkata',
    'Etc/UTC',
  ])('accepts %s', (zone) => expect(timeZoneProblems(zone)).toEqual([]));
  it.each(['Eastern Time', 'Mars/Olympus_Mons', '+05:00', ''])('refuses %j, naming it', (zone) => {
    expect(timeZoneProblems(zone)).toEqual([
      `Time zone: ${JSON.stringify(zone)} is not a known time zone (use a Zendesk or IANA zone name)`,
    ]);
  });
});

describe('workweek intervals', () => {
  it('accepts the default workweek, no intervals at all, a whole week, and intervals touching at midnight', () => {
    expect(intervalProblems(DEFAULT_WORKWEEK)).toEqual([]);
    expect(intervalProblems([])).toEqual([]);
    expect(
      intervalProblems([
        { start_time: 2640, end_time: 2880 },
        { start_time: 2880, end_time: 3120 },
        { start_time: 9000, end_time: 10_080 },
        { start_time: 0, end_time: 1440 },
      ]),
    ).toEqual([]);
  });

  it.each([
    [{ start_time: 600, end_time: 600 }, 'Intervals: 600–600 must end after it starts'],
    [{ start_time: 700, end_time: 600 }, 'Intervals: 700–600 must end after it starts'],
    [
      { start_time: -60, end_time: 600 },
      'Intervals: -60–600 is outside the week (0 to 10080 minutes since Sunday 00:00)',
    ],
    [
      { start_time: 9000, end_time: 10_200 },
      'Intervals: 9000–10200 is outside the week (0 to 10080 minutes since Sunday 00:00)',
    ],
    [
      { start_time: 10_080, end_time: 10_140 },
      'Intervals: 10080–10140 is outside the week (0 to 10080 minutes since Sunday 00:00)',
    ],
    [
      { start_time: 2640, end_time: 3120 },
      'Intervals: 2640–3120 spans more than one day (split it at midnight, 2880)',
    ],
    [{ start_time: 60.5, end_time: 120 }, 'Intervals: 60.5–120 must be whole minutes'],
  ])('refuses %j', (interval, problem) => {
    expect(intervalProblems([interval])).toEqual([problem]);
  });

  it('refuses overlapping intervals, naming both, in whatever order they came', () => {
    expect(
      intervalProblems([
        { start_time: 1980, end_time: 2460 },
        { start_time: 3420, end_time: 3900 },
        { start_time: 2400, end_time: 2500 },
      ]),
    ).toEqual(['Intervals: 1980–2460 and 2400–2500 overlap']);
  });
});

describe('holiday dates', () => {
  it.each(['2026-12-25', '2028-02-29'])('%s is a calendar date', (date) =>
    expect(isCalendarDate(date)).toBe(true),
  );
  it.each(['2026-02-29', '2026-13-01', '2026-1-5', '25/12/2026', ''])('%j is not', (date) =>
    expect(isCalendarDate(date)).toBe(false),
  );
  it('accepts a one-day holiday and a range', () => {
    expect(holidayProblems({ start_date: '2026-12-25', end_date: '2026-12-25' })).toEqual({
      start_date: [],
      end_date: [],
    });
    expect(holidayProblems({ start_date: '2026-12-24', end_date: '2027-01-02' })).toEqual({
      start_date: [],
      end_date: [],
    });
  });
  it('refuses an end before the start, and dates that are not dates', () => {
    expect(holidayProblems({ start_date: '2026-12-26', end_date: '2026-12-25' })).toEqual({
      start_date: [],
      end_date: ['End date: 2026-12-25 is before the start date 2026-12-26'],
    });
    expect(holidayProblems({ start_date: 'soon', end_date: '2026-02-30' })).toEqual({
      start_date: ['Start date: "soon" is not a date (YYYY-MM-DD)'],
      end_date: ['End date: "2026-02-30" is not a date (YYYY-MM-DD)'],
    });
  });
});
