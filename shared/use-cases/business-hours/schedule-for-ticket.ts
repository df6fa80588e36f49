/** The schedule a ticket's business-hours targets run on (undefined: calendar time). */

import type { ScheduleRecord } from '../../domain/business-hours/schedule-record.ts';
import { type ScheduleSubject, scheduleFor } from '../../domain/business-hours/schedule-record.ts';
import { listAllSchedules } from '../../store/schedules.ts';

/** Primary course: the group's schedule; else the organization's; else the account default; else none. */
export const scheduleForTicket = async (ticket: ScheduleSubject): Promise<ScheduleRecord | undefined> =>
  scheduleFor(await listAllSchedules(), ticket);
