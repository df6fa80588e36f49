import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  type Instant,
  isInBusinessHours,
  nextBusinessStart,
} from '../../shared/domain/business-hours/business-time.ts';
import {
  type BusinessInterval,
  DEFAULT_WORKWEEK,
  type HolidayDates,
  MINUTES_PER_DAY,
  type Schedule,
} from '../../shared/domain/business-hours/schedule.ts';
import { RAILS_TIME_ZONES } from '../../shared/domain/business-hours/time-zones.ts';
import { ZoneOffsets } from '../../shared/domain/business-hours/zone-offsets.ts';

const NEW_YORK = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const SYDNEY = 'Australia/Sydney';
const KOLKATA = 'Asia/Kolkata';

/** A wall-clock time in a zone (unambiguous ones only: the tests of ambiguous times spell out UTC). */
const at = (zone: string, local: string): Instant => {
  const time = DateTime.fromISO(local, { zone });
  if (!time.isValid) throw new Error(`bad test time ${local}`);
  return time.toMillis();
};
const utc = (iso: string): Instant => Date.parse(iso);
const shown = (zone: string, instant: Instant | undefined) =>
  instant === undefined ? undefined : DateTime.fromMillis(instant, { zone }).toFormat('yyyy-MM-dd HH:mm ZZ');

const schedule = (
  time_zone: string,
  intervals: readonly BusinessInterval[] = DEFAULT_WORKWEEK,
  holidays: readonly HolidayDates[] = [],
): Schedule => ({ time_zone, intervals, holidays });

/** Every minute of the week, as intervals (an interval cannot span days). */
const ALWAYS: BusinessInterval[] = Array.from({ length: 7 }, (_, day) => ({
  start_time: day * MINUTES_PER_DAY,
  end_time: (day + 1) * MINUTES_PER_DAY,
}));
/** Sunday 09:00–17:00 only: the business day that DST transitions (all on Sundays here) fall on. */
const SUNDAY_NINE_TO_FIVE = [{ start_time: 540, end_time: 1020 }];

describe('zone offsets', () => {
  it.each([
    [NEW_YORK, '2026-03-08T07:00:00Z', -300, -240],
    [NEW_YORK, '2026-11-01T06:00:00Z', -240, -300],
    [BERLIN, '2026-03-29T01:00:00Z', 60, 120],
    [SYDNEY, '2026-04-04T16:00:00Z', 660, 600],
    [SYDNEY, '2026-10-03T16:00:00Z', 600, 660],
  ])('%s changes at %s to the millisecond, from %i to %i minutes', (zone, change, before, after) => {
    const offsets = new ZoneOffsets(zone);
    expect(offsets.offsetAt(utc(change) - 1)).toBe(before);
    expect(offsets.offsetAt(utc(change))).toBe(after);
    expect(offsets.nextTransition(utc(change) - 86_400_000, utc(change) + 86_400_000)).toBe(utc(change));
  });
  it('knows that Kolkata never changes', () => {
    const offsets = new ZoneOffsets(KOLKATA);
    expect(offsets.offsetAt(utc('2026-07-01T00:00:00Z'))).toBe(330);
    expect(offsets.nextTransition(utc('2026-01-01T00:00:00Z'), utc('2028-01-01T00:00:00Z'))).toBeUndefined();
  });
  it('finds both changes when a year has changes close together (Casablanca suspends DST for Ramadan)', () => {
    const offsets = new ZoneOffsets('Africa/Casablanca');
    const luxonZone = IANAZone.create('Africa/Casablanca');
    for (let day = 0; day < 365; day++) {
      const instant = utc('2026-01-01T12:00:00Z') + day * 86_400_000;
      expect(offsets.offsetAt(instant)).toBe(luxonZone.offset(instant));
    }
  });
});

describe('the weekly template', () => {
  it('starts a new schedule at Monday to Friday, 09:00 to 17:00, as Zendesk does', () => {
    expect(DEFAULT_WORKWEEK).toEqual([
      { start_time: 1980, end_time: 2460 },
      { start_time: 3420, end_time: 3900 },
      { start_time: 4860, end_time: 5340 },
      { start_time: 6300, end_time: 6780 },
      { start_time: 7740, end_time: 8220 },
    ]);
  });
});

describe('adding business minutes on an ordinary week', () => {
  const nineToFive = schedule('UTC');
  it.each([
    ['inside hours', '2026-01-05T10:00', 30, '2026-01-05 10:30 +00:00'],
    ['before opening: the clock starts at 09:00', '2026-01-05T07:00', 30, '2026-01-05 09:30 +00:00'],
    ['after closing: carried to the next business day', '2026-01-05T18:00', 30, '2026-01-06 09:30 +00:00'],
    ['a target landing on closing time breaches at 17:00', '2026-01-05T16:00', 60, '2026-01-05 17:00 +00:00'],
    ['a whole business day from opening ends at 17:00', '2026-01-05T09:00', 480, '2026-01-05 17:00 +00:00'],
    ['one minute more runs into the next morning', '2026-01-05T09:00', 481, '2026-01-06 09:01 +00:00'],
    ['Friday evening to Monday', '2026-01-09T16:00', 120, '2026-01-12 10:00 +00:00'],
    ['a 1-minute target', '2026-01-05T09:00', 1, '2026-01-05 09:01 +00:00'],
    ['a 1-minute target from closing time', '2026-01-09T17:00', 1, '2026-01-12 09:01 +00:00'],
    [
      'a 30-day target (43,200 minutes: exactly 18 business weeks)',
      '2026-01-05T09:00',
      43_200,
      '2026-05-08 17:00 +00:00',
    ],
  ])('%s', (_, start, minutes, expected) => {
    expect(shown('UTC', addBusinessMinutes(nineToFive, at('UTC', start), minutes))).toBe(expected);
  });

  it('takes zero minutes to elapse at the start itself, inside hours or not', () => {
    expect(addBusinessMinutes(nineToFive, utc('2026-01-10T12:00:00Z'), 0)).toBe(utc('2026-01-10T12:00:00Z'));
  });

  it('keeps seconds: a target started at 10:00:30 breaches at 10:30:30', () => {
    expect(addBusinessMinutes(nineToFive, utc('2026-01-05T10:00:30Z'), 30)).toBe(utc('2026-01-05T10:30:30Z'));
  });

  it('refuses negative and non-finite minutes', () => {
    expect(() => addBusinessMinutes(nineToFive, 0, -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(nineToFive, 0, Number.NaN)).toThrow(RangeError);
  });

  it('reads a 30-day target the same way across a DST change (New York, spring forward on 8 March)', () => {
    expect(
      shown(NEW_YORK, addBusinessMinutes(schedule(NEW_YORK), at(NEW_YORK, '2026-01-05T09:00'), 43_200)),
    ).toBe('2026-05-08 17:00 -04:00');
  });
});

describe('calendar time without a schedule', () => {
  it('adds plain minutes', () => {
    expect(addBusinessMinutes(undefined, utc('2026-01-09T16:00:00Z'), 120)).toBe(utc('2026-01-09T18:00:00Z'));
    expect(addBusinessMinutes(undefined, utc('2026-01-09T16:00:00Z'), 43_200)).toBe(
      utc('2026-02-08T16:00:00Z'),
    );
  });
  it('counts plain minutes and calls every instant business time', () => {
    expect(businessMinutesBetween(undefined, utc('2026-01-09T16:00:00Z'), utc('2026-01-10T16:30:00Z'))).toBe(
      1470,
    );
    expect(isInBusinessHours(undefined, utc('2026-01-10T03:00:00Z'))).toBe(true);
    expect(nextBusinessStart(undefined, 42)).toBe(42);
  });
});

describe('a schedule with no intervals', () => {
  const closed = schedule(BERLIN, []);
  it('never lets a positive target run out', () => {
    expect(addBusinessMinutes(closed, utc('2026-01-05T10:00:00Z'), 1)).toBeUndefined();
    expect(addBusinessMinutes(closed, utc('2026-01-05T10:00:00Z'), 43_200)).toBeUndefined();
  });
  it('has no business time and never opens', () => {
    expect(addBusinessMinutes(closed, utc('2026-01-05T10:00:00Z'), 0)).toBe(utc('2026-01-05T10:00:00Z'));
    expect(businessMinutesBetween(closed, utc('2026-01-01T00:00:00Z'), utc('2027-01-01T00:00:00Z'))).toBe(0);
    expect(nextBusinessStart(closed, utc('2026-01-05T10:00:00Z'))).toBeUndefined();
    expect(isInBusinessHours(closed, utc('2026-01-05T10:00:00Z'))).toBe(false);
  });
});

describe('a 7×24 schedule', () => {
  it.each([NEW_YORK, BERLIN, SYDNEY, KOLKATA])('is calendar time in %s, DST changes included', (zone) => {
    const always = schedule(zone, ALWAYS);
    for (const start of [
      '2026-03-07T22:00:00Z',
      '2026-03-28T22:00:00Z',
      '2026-04-04T10:00:00Z',
      '2026-10-31T20:00:00Z',
    ]) {
      for (const minutes of [1, 90, 240, 1440, 43_200]) {
        expect(addBusinessMinutes(always, utc(start), minutes)).toBe(utc(start) + minutes * 60_000);
      }
      expect(businessMinutesBetween(always, utc(start), utc(start) + 3 * 86_400_000)).toBe(3 * 1440);
      expect(isInBusinessHours(always, utc(start))).toBe(true);
    }
  });
});

describe('DST transitions', () => {
  // 2026: New York springs forward on 8 March and falls back on 1 November; Berlin on 29 March and
  // 25 October; Sydney falls back on 5 April and springs forward on 4 October. All Sundays.
  it.each([
    [NEW_YORK, '2026-03-06T16:30', '2026-03-09 09:30 -04:00'],
    [NEW_YORK, '2026-10-30T16:30', '2026-11-02 09:30 -05:00'],
    [BERLIN, '2026-03-27T16:30', '2026-03-30 09:30 +02:00'],
    [BERLIN, '2026-10-23T16:30', '2026-10-26 09:30 +01:00'],
    [SYDNEY, '2026-04-03T16:30', '2026-04-06 09:30 +10:00'],
    [SYDNEY, '2026-10-02T16:30', '2026-10-05 09:30 +11:00'],
  ])(
    '%s: Friday 16:30 plus an hour is Monday 09:30 local, across the change (from %s)',
    (zone, start, expected) => {
      expect(shown(zone, addBusinessMinutes(schedule(zone), at(zone, start), 60))).toBe(expected);
    },
  );

  it.each([
    [NEW_YORK, '2026-03-08'],
    [NEW_YORK, '2026-11-01'],
    [BERLIN, '2026-03-29'],
    [BERLIN, '2026-10-25'],
    [SYDNEY, '2026-04-05'],
    [SYDNEY, '2026-10-04'],
  ])('%s: 09:00–17:00 on the day of a change (%s) is 8 business hours', (zone, day) => {
    const sundays = schedule(zone, SUNDAY_NINE_TO_FIVE);
    const dayStart = DateTime.fromISO(day, { zone });
    const from = dayStart.minus({ days: 1 }).toMillis();
    const to = dayStart.plus({ days: 1 }).toMillis();
    expect(businessMinutesBetween(sundays, from, to)).toBe(480);
    expect(shown(zone, addBusinessMinutes(sundays, from, 480))).toBe(
      shown(zone, DateTime.fromISO(`${day}T17:00`, { zone }).toMillis()),
    );
  });

  const earlySunday = schedule(NEW_YORK, [{ start_time: 0, end_time: 240 }]);
  it('an interval the jump falls inside holds the real time: 00:00–04:00 is 3 hours springing forward', () => {
    expect(
      businessMinutesBetween(earlySunday, at(NEW_YORK, '2026-03-07T12:00'), at(NEW_YORK, '2026-03-08T12:00')),
    ).toBe(180);
    expect(shown(NEW_YORK, addBusinessMinutes(earlySunday, at(NEW_YORK, '2026-03-08T00:00'), 150))).toBe(
      '2026-03-08 03:30 -04:00',
    );
  });
  it('… and 5 hours falling back', () => {
    expect(
      businessMinutesBetween(earlySunday, at(NEW_YORK, '2026-10-31T12:00'), at(NEW_YORK, '2026-11-01T12:00')),
    ).toBe(300);
  });

  it('a boundary skipped by the jump is placed at the jump: 02:30–03:15 holds 03:00–03:15 EDT', () => {
    const skipped = schedule(NEW_YORK, [{ start_time: 150, end_time: 195 }]);
    const dayBefore = at(NEW_YORK, '2026-03-07T12:00');
    expect(shown(NEW_YORK, nextBusinessStart(skipped, dayBefore))).toBe('2026-03-08 03:00 -04:00');
    expect(businessMinutesBetween(skipped, dayBefore, at(NEW_YORK, '2026-03-08T12:00'))).toBe(15);
  });

  it('an interval wholly inside the skipped hour holds no business time that day', () => {
    const vanished = schedule(NEW_YORK, [{ start_time: 120, end_time: 180 }]);
    expect(shown(NEW_YORK, nextBusinessStart(vanished, at(NEW_YORK, '2026-03-07T12:00')))).toBe(
      '2026-03-15 02:00 -04:00',
    );
  });

  it('a boundary in the repeated hour takes its first occurrence: 01:30–03:00 holds 2.5 hours falling back', () => {
    const repeated = schedule(NEW_YORK, [{ start_time: 90, end_time: 180 }]);
    const dayBefore = at(NEW_YORK, '2026-10-31T12:00');
    expect(nextBusinessStart(repeated, dayBefore)).toBe(utc('2026-11-01T05:30:00Z'));
    expect(businessMinutesBetween(repeated, dayBefore, at(NEW_YORK, '2026-11-01T12:00'))).toBe(150);
  });

  it('Berlin switches at 02:00 local (01:00 UTC) forward and 03:00 back, as intervals see it', () => {
    const berlinNights = schedule(BERLIN, [{ start_time: 60, end_time: 240 }]);
    expect(
      businessMinutesBetween(berlinNights, utc('2026-03-28T12:00:00Z'), utc('2026-03-29T12:00:00Z')),
    ).toBe(120);
    expect(
      businessMinutesBetween(berlinNights, utc('2026-10-24T12:00:00Z'), utc('2026-10-25T12:00:00Z')),
    ).toBe(240);
  });

  it('Sydney falls back at 03:00 and springs forward at 02:00', () => {
    const sydneyNights = schedule(SYDNEY, [{ start_time: 60, end_time: 240 }]);
    expect(
      businessMinutesBetween(sydneyNights, at(SYDNEY, '2026-04-04T12:00'), at(SYDNEY, '2026-04-05T12:00')),
    ).toBe(240);
    expect(
      businessMinutesBetween(sydneyNights, at(SYDNEY, '2026-10-03T12:00'), at(SYDNEY, '2026-10-04T12:00')),
    ).toBe(120);
  });
});

describe('Asia/Kolkata: a half-hour offset and no DST', () => {
  const india = schedule(KOLKATA);
  it('opens at 09:00 IST, which is 03:30 UTC', () => {
    expect(isInBusinessHours(india, utc('2026-01-06T03:29:00Z'))).toBe(false);
    expect(isInBusinessHours(india, utc('2026-01-06T03:30:00Z'))).toBe(true);
    expect(isInBusinessHours(india, utc('2026-01-06T11:29:59Z'))).toBe(true);
    expect(isInBusinessHours(india, utc('2026-01-06T11:30:00Z'))).toBe(false);
  });
  it('carries a target from 16:45 IST to 09:15 IST the next day (03:45 UTC)', () => {
    expect(addBusinessMinutes(india, utc('2026-01-05T11:15:00Z'), 30)).toBe(utc('2026-01-06T03:45:00Z'));
  });
  it('is read the same under its Rails names', () => {
    for (const name of ['Kolkata', 'Chennai', 'Mumbai', 'New Delhi']) {
      expect(addBusinessMinutes(schedule(name), utc('2026-01-05T11:15:00Z'), 30)).toBe(
        utc('2026-01-06T03:45:00Z'),
      );
    }
  });
});

describe('intervals chained across midnight', () => {
  const lateShift = schedule('UTC', [
    { start_time: 1440 + 1200, end_time: 2880 },
    { start_time: 2880, end_time: 2880 + 240 },
  ]);
  it.each([
    ['Monday 23:00 + 2h runs on into Tuesday', '2026-01-05T23:00', 120, '2026-01-06 01:00 +00:00'],
    [
      'Monday 20:00 + 4h lands on midnight, the end of Monday’s interval',
      '2026-01-05T20:00',
      240,
      '2026-01-06 00:00 +00:00',
    ],
    ['one minute more is Tuesday 00:01', '2026-01-05T20:00', 241, '2026-01-06 00:01 +00:00'],
    ['the whole shift runs to Tuesday 04:00', '2026-01-05T20:00', 480, '2026-01-06 04:00 +00:00'],
  ])('%s', (_, start, minutes, expected) => {
    expect(shown('UTC', addBusinessMinutes(lateShift, at('UTC', start), minutes))).toBe(expected);
  });
  it('midnight itself is business time, and the shift counts whole', () => {
    expect(isInBusinessHours(lateShift, utc('2026-01-06T00:00:00Z'))).toBe(true);
    expect(businessMinutesBetween(lateShift, utc('2026-01-05T00:00:00Z'), utc('2026-01-07T00:00:00Z'))).toBe(
      480,
    );
  });
  it('chains Saturday night into Sunday morning, across the week boundary', () => {
    const weekend = schedule(BERLIN, [
      { start_time: 6 * 1440 + 1200, end_time: 10_080 },
      { start_time: 0, end_time: 240 },
    ]);
    expect(shown(BERLIN, addBusinessMinutes(weekend, at(BERLIN, '2026-01-10T22:00'), 180))).toBe(
      '2026-01-11 01:00 +01:00',
    );
  });
});

describe('holidays', () => {
  const christmas = schedule('UTC', DEFAULT_WORKWEEK, [{ start_date: '2026-12-25', end_date: '2026-12-28' }]);
  it('close every day they span, a weekend between them included', () => {
    expect(shown('UTC', addBusinessMinutes(christmas, at('UTC', '2026-12-24T16:00'), 120))).toBe(
      '2026-12-29 10:00 +00:00',
    );
    expect(
      businessMinutesBetween(christmas, at('UTC', '2026-12-24T00:00'), at('UTC', '2026-12-30T00:00')),
    ).toBe(960);
    expect(isInBusinessHours(christmas, at('UTC', '2026-12-28T10:00'))).toBe(false);
    expect(shown('UTC', nextBusinessStart(christmas, at('UTC', '2026-12-25T10:00')))).toBe(
      '2026-12-29 09:00 +00:00',
    );
  });
  it('are local dates: a Sydney holiday closes the Sydney day, not the UTC one', () => {
    const anzac = schedule(SYDNEY, DEFAULT_WORKWEEK, [{ start_date: '2026-04-27', end_date: '2026-04-27' }]);
    // Monday 27 April 09:00 AEST is Sunday 26 April 23:00 UTC.
    expect(shown(SYDNEY, nextBusinessStart(anzac, utc('2026-04-26T22:00:00Z')))).toBe(
      '2026-04-28 09:00 +10:00',
    );
  });
  it('a holiday of several weeks still lets a long target run out after it', () => {
    const summer = schedule('UTC', DEFAULT_WORKWEEK, [{ start_date: '2026-07-01', end_date: '2026-08-31' }]);
    expect(shown('UTC', addBusinessMinutes(summer, at('UTC', '2026-06-30T16:00'), 120))).toBe(
      '2026-09-01 10:00 +00:00',
    );
  });
});

describe('Rails (Zendesk) zone names', () => {
  it('has the ActiveSupport names, each an IANA zone luxon knows', () => {
    expect(Object.keys(RAILS_TIME_ZONES).length).toBeGreaterThanOrEqual(150);
    for (const [name, iana] of Object.entries(RAILS_TIME_ZONES)) {
      expect({ name, valid: IANAZone.isValidZone(iana) }).toEqual({ name, valid: true });
    }
  });
  it.each([
    ['Eastern Time (US & Canada)', NEW_YORK],
    ['Pacific Time (US & Canada)', 'America/Los_Angeles'],
    ['Berlin', BERLIN],
    ['London', 'Europe/London'],
    ['Sydney', SYDNEY],
  ])('%s computes as %s', (rails, iana) => {
    const start = utc('2026-03-06T21:30:00Z');
    expect(addBusinessMinutes(schedule(rails), start, 600)).toBe(
      addBusinessMinutes(schedule(iana), start, 600),
    );
  });
});

describe('laws of business-minute addition (property tests)', () => {
  const YEAR_2026 = { min: utc('2026-01-01T00:00:00Z'), max: utc('2027-01-01T00:00:00Z') };
  const quarterHours = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 4 });
  const dayIntervals = (day: number) =>
    quarterHours.map((marks) => {
      const sorted = [...marks].sort((a, b) => a - b);
      const intervals: BusinessInterval[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) {
        intervals.push({
          start_time: day * MINUTES_PER_DAY + (sorted[i] as number) * 15,
          end_time: day * MINUTES_PER_DAY + (sorted[i + 1] as number) * 15,
        });
      }
      return intervals;
    });
  const holiday = fc
    .tuple(fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: 10 }))
    .map(([first, length]): HolidayDates => {
      const start = DateTime.fromObject({ year: 2026 }, { zone: 'utc' }).plus({ days: first });
      return {
        start_date: start.toISODate() as string,
        end_date: start.plus({ days: length }).toISODate() as string,
      };
    });
  const schedules = fc
    .record({
      zone: fc.constantFrom(NEW_YORK, BERLIN, SYDNEY, KOLKATA, 'Eastern Time (US & Canada)', 'Chatham Is.'),
      days: fc.tuple(...[0, 1, 2, 3, 4, 5, 6].map(dayIntervals)),
      holidays: fc.array(holiday, { maxLength: 3 }),
    })
    .map(({ zone, days, holidays }) => schedule(zone, days.flat(), holidays))
    .filter((candidate) => candidate.intervals.length > 0);
  const instants = fc.integer(YEAR_2026);
  const minutes = fc.integer({ min: 0, max: 50_000 });

  it('is monotonic in the target and in the start', () => {
    fc.assert(
      fc.property(schedules, instants, instants, minutes, minutes, (bh, t1, t2, a, b) => {
        const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const [small, large] = a <= b ? [a, b] : [b, a];
        expect(addBusinessMinutes(bh, early, small)).toBeLessThanOrEqual(
          addBusinessMinutes(bh, early, large) as number,
        );
        expect(addBusinessMinutes(bh, early, small)).toBeLessThanOrEqual(
          addBusinessMinutes(bh, late, small) as number,
        );
      }),
    );
  });

  it('is additive: adding a then b is adding a + b', () => {
    fc.assert(
      fc.property(schedules, instants, minutes, minutes, (bh, start, a, b) => {
        expect(addBusinessMinutes(bh, addBusinessMinutes(bh, start, a) as number, b)).toBe(
          addBusinessMinutes(bh, start, a + b),
        );
      }),
    );
  });

  it('breaches inside business hours or at an interval end: the millisecond before is business time', () => {
    fc.assert(
      fc.property(schedules, instants, fc.integer({ min: 1, max: 50_000 }), (bh, start, target) => {
        const breach = addBusinessMinutes(bh, start, target) as number;
        expect(isInBusinessHours(bh, breach - 1)).toBe(true);
      }),
    );
  });

  it('counts back what it added: businessMinutesBetween(t, add(t, m)) = m', () => {
    fc.assert(
      fc.property(schedules, instants, minutes, (bh, start, target) => {
        expect(businessMinutesBetween(bh, start, addBusinessMinutes(bh, start, target) as number)).toBe(
          target,
        );
      }),
    );
  });

  it('agrees with a minute-by-minute walk over short spans', () => {
    fc.assert(
      fc.property(
        schedules,
        fc.integer({ min: YEAR_2026.min / 60_000, max: YEAR_2026.max / 60_000 }),
        (bh, minute) => {
          const from = minute * 60_000;
          const to = from + 3 * 86_400_000;
          let open = 0;
          for (let t = from; t < to; t += 60_000) if (isInBusinessHours(bh, t)) open++;
          expect(businessMinutesBetween(bh, from, to)).toBe(open);
        },
      ),
      { numRuns: 15 },
    );
  });
});
