/**
 * UTC offsets of an IANA zone, learned from the tz database (through luxon and Intl) one UTC year at
 * a time and kept for the life of the process. An Intl offset lookup costs about 10 µs, and business-
 * time arithmetic needs one for every interval boundary; with the year's transitions at hand a lookup
 * is a few comparisons, and "does the offset change within this week" is exact.
 *
 * A year is sampled every 7 days (a cold zone-year costs a few ms) and each change is narrowed down
 * to the millisecond, then the rest of that window is searched again, so several changes in one window
 * are all found. Only an offset that changes and changes back within 7 days would be missed: the tz
 * database has no such zone (the shortest DST suspensions, Morocco's for Ramadan, last weeks).
 */
import { IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const SAMPLE_MS = 7 * DAY_MS;

interface Transition {
  /** The first instant (epoch ms) at which `offset` applies. */
  at: number;
  /** Minutes east of UTC. */
  offset: number;
}

interface OffsetYear {
  /** The offset at the first instant of the UTC year. */
  initial: number;
  transitions: Transition[];
}

const yearOf = (instant: number): number => new Date(instant).getUTCFullYear();
const yearStart = (year: number): number => Date.UTC(year, 0, 1);

export class ZoneOffsets {
  private readonly years = new Map<number, OffsetYear>();
  private readonly zone: IANAZone;

  constructor(ianaName: string) {
    this.zone = IANAZone.create(ianaName);
    if (!this.zone.isValid) throw new RangeError(`Unknown time zone ${ianaName}`);
  }

  /** Minutes east of UTC at `instant`. */
  offsetAt(instant: number): number {
    const year = this.year(yearOf(instant));
    let offset = year.initial;
    for (const transition of year.transitions) {
      if (transition.at > instant) break;
      offset = transition.offset;
    }
    return offset;
  }

  /** The first instant after `instant` (exclusive) at which the offset changes, within `limit`. */
  nextTransition(instant: number, limit: number): number | undefined {
    for (let year = yearOf(instant); yearStart(year) <= limit; year++) {
      const found = this.year(year).transitions.find((transition) => transition.at > instant);
      if (found) return found.at <= limit ? found.at : undefined;
    }
    return undefined;
  }

  private year(year: number): OffsetYear {
    let known = this.years.get(year);
    if (!known) {
      known = this.learn(year);
      this.years.set(year, known);
    }
    return known;
  }

  private learn(year: number): OffsetYear {
    const start = yearStart(year);
    const end = yearStart(year + 1);
    const initial = this.zone.offset(start);
    const transitions: Transition[] = [];
    let previous = start;
    let previousOffset = initial;
    while (previous < end) {
      const sample = Math.min(previous + SAMPLE_MS, end);
      const sampleOffset = this.zone.offset(sample);
      if (sampleOffset === previousOffset) {
        previous = sample;
        continue;
      }
      // Something changed in (previous, sample]: take the first change, then look at what is left.
      const at = this.changeBetween(previous, previousOffset, sample);
      previous = at;
      previousOffset = this.zone.offset(at);
      transitions.push({ at, offset: previousOffset });
    }
    // A change exactly at the next year's first instant belongs to that year (its `initial`).
    return { initial, transitions: transitions.filter((transition) => transition.at < end) };
  }

  /** The first millisecond in (from, to] whose offset differs from `fromOffset`, the offset at `from`. */
  private changeBetween(from: number, fromOffset: number, to: number): number {
    let low = from;
    let high = to;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (this.zone.offset(middle) === fromOffset) low = middle;
      else high = middle;
    }
    return high;
  }
}

const zones = new Map<string, ZoneOffsets>();

/** The (shared, lazily learned) offsets of an IANA zone. */
export const zoneOffsets = (ianaName: string): ZoneOffsets => {
  let offsets = zones.get(ianaName);
  if (!offsets) {
    offsets = new ZoneOffsets(ianaName);
    zones.set(ianaName, offsets);
  }
  return offsets;
};
