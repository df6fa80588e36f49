/** The `business-hours` route group: Zendesk's Schedules API (zendesk-api.md §6) plus schedule assignments. */
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { type ApiRequest, created, noContent, ok } from '../../shared/http/api-request.ts';
import { idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import {
  assignmentsBody,
  holidayBody,
  scheduleBody,
  workweekBody,
} from '../../shared/http/schemas/schedule-input.ts';
import {
  serializeAssignments,
  serializeHoliday,
  serializeSchedule,
} from '../../shared/http/serializers/schedule.ts';
import {
  assignSchedule,
  createHoliday,
  createSchedule,
  deleteHoliday,
  deleteSchedule,
  getHoliday,
  getLiveSchedule,
  listHolidays,
  listSchedules,
  updateHoliday,
  updateSchedule,
  updateWorkweek,
} from '../../shared/use-cases/business-hours/manage-schedules.ts';

const SCHEDULES = '/api/v2/business_hours/schedules';
const holidayId = (request: ApiRequest) => idParam(request, 'holiday_id');

export const handler = createRouteGroupHandler('business-hours', {
  [`GET ${SCHEDULES}`]: async () => ok({ schedules: (await listSchedules()).map(serializeSchedule) }),
  [`POST ${SCHEDULES}`]: async (request) =>
    created({
      schedule: serializeSchedule(
        await createSchedule(parseBody(request, scheduleBody).schedule, nowTimestamp()),
      ),
    }),
  [`GET ${SCHEDULES}/{id}`]: async (request) =>
    ok({ schedule: serializeSchedule(await getLiveSchedule(idParam(request))) }),
  [`PUT ${SCHEDULES}/{id}`]: async (request) => {
    const input = parseBody(request, scheduleBody).schedule;
    return ok({ schedule: serializeSchedule(await updateSchedule(idParam(request), input, nowTimestamp())) });
  },
  [`DELETE ${SCHEDULES}/{id}`]: async (request) => {
    await deleteSchedule(idParam(request));
    return noContent();
  },
  [`PUT ${SCHEDULES}/{id}/workweek`]: async (request) => {
    const { intervals } = parseBody(request, workweekBody).workweek;
    const schedule = await updateWorkweek(idParam(request), intervals, nowTimestamp());
    return ok({ workweek: { intervals: serializeSchedule(schedule).intervals } });
  },
  [`GET ${SCHEDULES}/{id}/holidays`]: async (request) =>
    ok({ holidays: (await listHolidays(idParam(request))).map(serializeHoliday) }),
  [`POST ${SCHEDULES}/{id}/holidays`]: async (request) => {
    const input = parseBody(request, holidayBody).holiday;
    return created({
      holiday: serializeHoliday(await createHoliday(idParam(request), input, nowTimestamp())),
    });
  },
  [`GET ${SCHEDULES}/{id}/holidays/{holiday_id}`]: async (request) =>
    ok({ holiday: serializeHoliday(await getHoliday(idParam(request), holidayId(request))) }),
  [`PUT ${SCHEDULES}/{id}/holidays/{holiday_id}`]: async (request) => {
    const input = parseBody(request, holidayBody).holiday;
    const holiday = await updateHoliday(idParam(request), holidayId(request), input, nowTimestamp());
    return ok({ holiday: serializeHoliday(holiday) });
  },
  [`DELETE ${SCHEDULES}/{id}/holidays/{holiday_id}`]: async (request) => {
    await deleteHoliday(idParam(request), holidayId(request), nowTimestamp());
    return noContent();
  },
  [`GET ${SCHEDULES}/{id}/assignments`]: async (request) =>
    ok({ assignments: serializeAssignments(await getLiveSchedule(idParam(request))) }),
  [`PUT ${SCHEDULES}/{id}/assignments`]: async (request) => {
    const input = parseBody(request, assignmentsBody).assignments;
    return ok({
      assignments: serializeAssignments(await assignSchedule(idParam(request), input, nowTimestamp())),
    });
  },
});
