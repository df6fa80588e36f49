/** Business-hours request bodies (zendesk-api.md §6); values are checked in depth at save time. */
import * as z from 'zod';

export const scheduleBody = z.object({
  schedule: z.object({ name: z.string().optional(), time_zone: z.string().optional() }),
});
export type ScheduleInput = z.infer<typeof scheduleBody>['schedule'];

const interval = z.object({ start_time: z.number(), end_time: z.number() });
/** Whole-minute intervals cannot overlap, so a week holds far fewer than this. */
const MAX_INTERVALS = 500;
export const workweekBody = z.object({
  workweek: z.object({ intervals: z.array(interval).max(MAX_INTERVALS) }),
});

export const holidayBody = z.object({
  holiday: z.object({
    name: z.string().optional(),
    start_date: z.string().optional(),
    end_date: z.string().optional(),
  }),
});
export type HolidayInput = z.infer<typeof holidayBody>['holiday'];

const ids = z.array(z.number().int().positive()).max(100);
export const assignmentsBody = z.object({
  assignments: z.object({ group_ids: ids.optional(), organization_ids: ids.optional() }),
});
export type AssignmentsInput = z.infer<typeof assignmentsBody>['assignments'];
