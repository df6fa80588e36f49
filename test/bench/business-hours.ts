/**
 * Business-minutes addition throughput (the breach-instant computation every SLA timer needs), pure and
 * in process. Starts are spread over two years so DST weeks and holidays are crossed; the zones' offset
 * tables are learned once, before timing, as in a warm Lambda.
 */
import { performance } from 'node:perf_hooks';
import { addBusinessMinutes } from '../../shared/domain/business-hours/business-time.ts';
import {
  type BusinessInterval,
  DEFAULT_WORKWEEK,
  type Schedule,
} from '../../shared/domain/business-hours/schedule.ts';

export interface BusinessHoursThroughput {
  schedule: string;
  targetMinutes: number;
  operations: number;
  operationsPerSecond: number;
}

const everyDay = (from: number, to: number): BusinessInterval[] =>
  Array.from({ length: 7 }, (_, day) => ({ start_time: day * 1440 + from, end_time: day * 1440 + to }));

const holidays = (year: number) => [
  { start_date: `${year}-01-01`, end_date: `${year}-01-01` },
  { start_date: `${year}-07-03`, end_date: `${year}-07-06` },
  { start_date: `${year}-12-24`, end_date: `${year}-12-26` },
];

const SCHEDULES: Record<string, Schedule> = {
  'Mon–Fri 9–17 New York, 6 holidays': {
    time_zone: 'Eastern Time (US & Canada)',
    intervals: DEFAULT_WORKWEEK,
    holidays: [...holidays(2026), ...holidays(2027)],
  },
  '24×7 Berlin': { time_zone: 'Berlin', intervals: everyDay(0, 1440), holidays: [] },
  'split shifts 7 days Kolkata': {
    time_zone: 'Asia/Kolkata',
    intervals: [...everyDay(540, 780), ...everyDay(840, 1080)],
    holidays: [],
  },
};

const TARGETS = [1, 60, 480, 2_400, 43_200];
const OPERATIONS = 20_000;
const FIRST_START = Date.parse('2026-01-01T00:00:00Z');
/** A prime number of minutes, so successive starts land at every time of day and week. */
const START_STEP_MS = 7_919 * 60_000;
const starts = Array.from(
  { length: OPERATIONS },
  (_, i) => FIRST_START + ((i * START_STEP_MS) % (2 * 365 * 86_400_000)),
);

export const measureBusinessHours = (): BusinessHoursThroughput[] =>
  Object.entries(SCHEDULES).flatMap(([name, schedule]) => {
    for (const start of starts.slice(0, 500)) addBusinessMinutes(schedule, start, 43_200);
    return TARGETS.map((targetMinutes) => {
      let checksum = 0;
      const began = performance.now();
      for (const start of starts) checksum += addBusinessMinutes(schedule, start, targetMinutes) ?? 0;
      const elapsedMs = performance.now() - began;
      if (!checksum) throw new Error('business-hours bench computed nothing');
      return {
        schedule: name,
        targetMinutes,
        operations: OPERATIONS,
        operationsPerSecond: (OPERATIONS / elapsedMs) * 1000,
      };
    });
  });
