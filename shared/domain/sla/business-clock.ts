/**
 * How an SLA clock counts minutes. A business-hours metric counts only the minutes inside the
 * ticket's schedule; a calendar metric (or any metric when no schedule exists) counts every minute.
 * The engine measures and schedules through this port alone, so it never knows which applies.
 */
import { addBusinessMinutes, businessMinutesBetween } from '../business-hours/business-time.ts';
import type { Schedule } from '../business-hours/schedule.ts';
import { toTimestamp } from '../clock.ts';

export interface BusinessClock {
  /**
   * The instant `minutes` counted minutes after `startIso` (ISO 8601 UTC); undefined when that never
   * comes (a schedule without business hours).
   */
  add(startIso: string, minutes: number): string | undefined;
  /** Counted minutes from `fromIso` to `toIso`, 0 when `toIso` is not later. */
  between(fromIso: string, toIso: string): number;
}

const MINUTE_MS = 60_000;

/** Every minute counts: calendar metrics, and business-hours metrics of a ticket without a schedule. */
export const calendarClock: BusinessClock = {
  add: (startIso, minutes) => toTimestamp(new Date(Date.parse(startIso) + minutes * MINUTE_MS)),
  between: (fromIso, toIso) => Math.max(0, (Date.parse(toIso) - Date.parse(fromIso)) / MINUTE_MS),
};

/** The two clocks a ticket's metrics use: calendar time and its schedule's business time. */
export interface TicketClocks {
  calendar: BusinessClock;
  business: BusinessClock;
}

export const calendarOnly: TicketClocks = { calendar: calendarClock, business: calendarClock };

/** Business time of a schedule (shared/domain/business-hours). */
const scheduleClock = (schedule: Schedule): BusinessClock => ({
  add: (startIso, minutes) => {
    const instant = addBusinessMinutes(schedule, Date.parse(startIso), minutes);
    return instant === undefined ? undefined : toTimestamp(new Date(instant));
  },
  between: (fromIso, toIso) => businessMinutesBetween(schedule, Date.parse(fromIso), Date.parse(toIso)),
});

/** A ticket's clocks; without a schedule, business-hours targets run on calendar time. */
export const ticketClocks = (schedule: Schedule | undefined): TicketClocks =>
  schedule ? { calendar: calendarClock, business: scheduleClock(schedule) } : calendarOnly;

export const clockFor = (clocks: TicketClocks, businessHours: boolean): BusinessClock =>
  businessHours ? clocks.business : clocks.calendar;
