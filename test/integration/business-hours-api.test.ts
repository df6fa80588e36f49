import { beforeAll, describe, expect, it } from 'vitest';
import { handler as businessHours } from '../../functions/api/business-hours.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { scheduleForTicket } from '../../shared/use-cases/business-hours/schedule-for-ticket.ts';
import { createGroup, deleteGroup } from '../../shared/use-cases/groups/manage-groups.ts';
import { createOrganization } from '../../shared/use-cases/organizations/manage-organizations.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';

const NOW = '2026-01-05T10:00:00Z';
const BASE = '/api/v2/business_hours/schedules';
let admin: User;
let agent: User;
const asAdmin = () => ({ userId: admin.id, role: admin.role });
const asAgent = () => ({ userId: agent.id, role: agent.role });

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const call = (method: Method, path: string, body?: unknown, caller = asAdmin()) =>
  callApi(businessHours, { method, path, caller, ...(body === undefined ? {} : { body }) });

const createSchedule = async (name: string, time_zone: string) => {
  const response = await call('POST', `${BASE}.json`, { schedule: { name, time_zone } });
  expect(response.status).toBe(201);
  return response.body.schedule as { id: number; name: string; time_zone: string };
};

const MONDAY_TO_FRIDAY_NINE_TO_FIVE = [
  { start_time: 1980, end_time: 2460 },
  { start_time: 3420, end_time: 3900 },
  { start_time: 4860, end_time: 5340 },
  { start_time: 6300, end_time: 6780 },
  { start_time: 7740, end_time: 8220 },
];

beforeAll(async () => {
  admin = await createUser({ name: 'Ada', email: 'ada@relaydesk.test', role: 'admin' }, NOW);
  agent = await createUser({ name: 'Alan', email: 'alan@relaydesk.test', role: 'agent' }, NOW);
});

describe('schedules', () => {
  it('has none until one is created; the first starts Monday–Friday 09:00–17:00 in the zone as named', async () => {
    expect((await call('GET', `${BASE}.json`)).body).toEqual({ schedules: [] });
    expect(await scheduleForTicket({ group_id: null, organization_id: null })).toBeUndefined();

    const created = await createSchedule('Americas', 'Eastern Time (US & Canada)');
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Americas',
      time_zone: 'Eastern Time (US & Canada)',
      intervals: MONDAY_TO_FRIDAY_NINE_TO_FIVE,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const shown = await call('GET', `${BASE}/${created.id}.json`, undefined, asAgent());
    expect(shown.status).toBe(200);
    expect(shown.body.schedule).toEqual(created);
    expect((await call('GET', `${BASE}.json`, undefined, asAgent())).body.schedules).toEqual([created]);
  });

  it('accepts IANA names, renames, and changes the zone', async () => {
    const berlin = await createSchedule('Europe', 'Europe/Berlin');
    const renamed = await call('PUT', `${BASE}/${berlin.id}.json`, {
      schedule: { name: 'EMEA', time_zone: 'London' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.schedule).toMatchObject({ id: berlin.id, name: 'EMEA', time_zone: 'London' });
    expect((await call('GET', `${BASE}/${berlin.id}.json`)).body.schedule.name).toBe('EMEA');
  });

  it.each([
    [
      { name: 'Nowhere', time_zone: 'Atlantis/Capital' },
      'time_zone',
      'Time zone: "Atlantis/Capital" is not a known time zone (use a Zendesk or IANA zone name)',
    ],
    [
      { name: 'Offset', time_zone: '+05:00' },
      'time_zone',
      'Time zone: "+05:00" is not a known time zone (use a Zendesk or IANA zone name)',
    ],
    [{ name: 'No zone' }, 'time_zone', 'Time zone: cannot be blank'],
    [{ time_zone: 'UTC' }, 'name', 'Name: cannot be blank'],
  ])('refuses %j with a 422 naming the problem, and stores nothing', async (schedule, field, description) => {
    const before = (await call('GET', `${BASE}.json`)).body.schedules.length;
    const response = await call('POST', `${BASE}.json`, { schedule });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: 'RecordInvalid', details: { [field]: [{ description }] } });
    expect((await call('GET', `${BASE}.json`)).body.schedules).toHaveLength(before);
  });

  it('lets agents read but only admins write', async () => {
    const response = await call(
      'POST',
      `${BASE}.json`,
      { schedule: { name: 'X', time_zone: 'UTC' } },
      asAgent(),
    );
    expect(response.status).toBe(403);
  });

  it('answers 404 for a schedule that does not exist', async () => {
    expect((await call('GET', `${BASE}/999999.json`)).status).toBe(404);
    expect((await call('PUT', `${BASE}/999999/workweek.json`, { workweek: { intervals: [] } })).status).toBe(
      404,
    );
  });
});

describe('the workweek', () => {
  it('replaces the intervals, stored in week order, chained across midnight', async () => {
    const { id } = await createSchedule('Late shift', 'Sydney');
    const intervals = [
      { start_time: 2880, end_time: 3120 },
      { start_time: 2640, end_time: 2880 },
    ];
    const response = await call('PUT', `${BASE}/${id}/workweek.json`, { workweek: { intervals } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ workweek: { intervals: [intervals[1], intervals[0]] } });
    expect((await call('GET', `${BASE}/${id}.json`)).body.schedule.intervals).toEqual([
      intervals[1],
      intervals[0],
    ]);
  });

  it.each([
    [[{ start_time: 600, end_time: 540 }], 'Intervals: 600–540 must end after it starts'],
    [[{ start_time: 600, end_time: 600 }], 'Intervals: 600–600 must end after it starts'],
    [
      [{ start_time: 2640, end_time: 3120 }],
      'Intervals: 2640–3120 spans more than one day (split it at midnight, 2880)',
    ],
    [
      [{ start_time: 9000, end_time: 10_200 }],
      'Intervals: 9000–10200 is outside the week (0 to 10080 minutes since Sunday 00:00)',
    ],
    [
      [
        { start_time: 1980, end_time: 2460 },
        { start_time: 2400, end_time: 2500 },
      ],
      'Intervals: 1980–2460 and 2400–2500 overlap',
    ],
  ])('refuses %j with a 422 and keeps the previous week', async (intervals, description) => {
    const { id } = await createSchedule('Guarded', 'UTC');
    const response = await call('PUT', `${BASE}/${id}/workweek.json`, { workweek: { intervals } });
    expect(response.status).toBe(422);
    expect(response.body.details.intervals).toEqual([{ description, error: 'InvalidValue' }]);
    expect((await call('GET', `${BASE}/${id}.json`)).body.schedule.intervals).toEqual(
      MONDAY_TO_FRIDAY_NINE_TO_FIVE,
    );
  });

  it('refuses a body without intervals', async () => {
    const { id } = await createSchedule('No body', 'UTC');
    expect((await call('PUT', `${BASE}/${id}/workweek.json`, { workweek: {} })).status).toBe(422);
  });

  it('may be emptied: a schedule with no business hours', async () => {
    const { id } = await createSchedule('Closed', 'UTC');
    const response = await call('PUT', `${BASE}/${id}/workweek.json`, { workweek: { intervals: [] } });
    expect(response.body).toEqual({ workweek: { intervals: [] } });
  });
});

describe('holidays', () => {
  it('are created, listed by date, shown, changed and deleted', async () => {
    const { id } = await createSchedule('With holidays', 'Berlin');
    const christmas = await call('POST', `${BASE}/${id}/holidays.json`, {
      holiday: { name: 'Christmas', start_date: '2026-12-24', end_date: '2026-12-26' },
    });
    expect(christmas.status).toBe(201);
    expect(christmas.body.holiday).toEqual({
      id: expect.any(Number),
      name: 'Christmas',
      start_date: '2026-12-24',
      end_date: '2026-12-26',
    });
    const christmasId = christmas.body.holiday.id as number;
    const labourDay = await call('POST', `${BASE}/${id}/holidays.json`, {
      holiday: { name: 'Labour Day', start_date: '2026-05-01', end_date: '2026-05-01' },
    });
    const list = await call('GET', `${BASE}/${id}/holidays.json`, undefined, asAgent());
    expect(list.body.holidays.map((holiday: { name: string }) => holiday.name)).toEqual([
      'Labour Day',
      'Christmas',
    ]);

    const changed = await call('PUT', `${BASE}/${id}/holidays/${christmasId}.json`, {
      holiday: { end_date: '2026-12-27' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.holiday).toMatchObject({
      id: christmasId,
      name: 'Christmas',
      end_date: '2026-12-27',
    });
    expect((await call('GET', `${BASE}/${id}/holidays/${christmasId}.json`)).body.holiday.end_date).toBe(
      '2026-12-27',
    );

    expect((await call('DELETE', `${BASE}/${id}/holidays/${labourDay.body.holiday.id}.json`)).status).toBe(
      204,
    );
    expect((await call('GET', `${BASE}/${id}/holidays/${labourDay.body.holiday.id}.json`)).status).toBe(404);
    expect((await call('GET', `${BASE}/${id}/holidays.json`)).body.holidays).toHaveLength(1);
  });

  it.each([
    [
      { name: 'Backwards', start_date: '2026-12-26', end_date: '2026-12-24' },
      'end_date',
      'End date: 2026-12-24 is before the start date 2026-12-26',
    ],
    [
      { name: 'Not a day', start_date: '2026-02-30', end_date: '2026-03-01' },
      'start_date',
      'Start date: "2026-02-30" is not a date (YYYY-MM-DD)',
    ],
    [{ name: 'Open ended', start_date: '2026-12-24' }, 'end_date', 'End date: "" is not a date (YYYY-MM-DD)'],
    [{ start_date: '2026-12-24', end_date: '2026-12-24' }, 'name', 'Name: cannot be blank'],
  ])('refuses %j with a 422 and stores nothing', async (holiday, field, description) => {
    const { id } = await createSchedule('Strict', 'UTC');
    const response = await call('POST', `${BASE}/${id}/holidays.json`, { holiday });
    expect(response.status).toBe(422);
    expect(response.body.details[field]).toEqual([expect.objectContaining({ description })]);
    expect((await call('GET', `${BASE}/${id}/holidays.json`)).body.holidays).toEqual([]);
  });

  it('refuses a change that would put the end before the start, keeping the holiday', async () => {
    const { id } = await createSchedule('Strict changes', 'UTC');
    const created = await call('POST', `${BASE}/${id}/holidays.json`, {
      holiday: { name: 'Boxing Day', start_date: '2026-12-26', end_date: '2026-12-26' },
    });
    const holidayPath = `${BASE}/${id}/holidays/${created.body.holiday.id}.json`;
    expect((await call('PUT', holidayPath, { holiday: { start_date: '2026-12-27' } })).status).toBe(422);
    expect((await call('GET', holidayPath)).body.holiday.start_date).toBe('2026-12-26');
  });

  it('are not found under another schedule', async () => {
    const first = await createSchedule('Owner', 'UTC');
    const other = await createSchedule('Other', 'UTC');
    const created = await call('POST', `${BASE}/${first.id}/holidays.json`, {
      holiday: { name: 'Ours', start_date: '2026-01-01', end_date: '2026-01-01' },
    });
    expect((await call('GET', `${BASE}/${other.id}/holidays/${created.body.holiday.id}.json`)).status).toBe(
      404,
    );
  });
});

describe('which schedule a ticket runs on', () => {
  it('is its group’s, else its organization’s, else the default (the oldest); deleting the default promotes the next', async () => {
    const all = (await call('GET', `${BASE}.json`)).body.schedules as { id: number }[];
    const oldest = all[0] as { id: number };
    const support = await createGroup({ name: 'Tier 2' }, NOW);
    const acme = await createOrganization({ name: 'Acme' }, NOW);
    const groupSchedule = await createSchedule('Tier 2 hours', 'Pacific Time (US & Canada)');
    const orgSchedule = await createSchedule('Acme hours', 'Kolkata');

    const assigned = await call('PUT', `${BASE}/${groupSchedule.id}/assignments.json`, {
      assignments: { group_ids: [support.id] },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual({ assignments: { group_ids: [support.id], organization_ids: [] } });
    await call('PUT', `${BASE}/${orgSchedule.id}/assignments.json`, {
      assignments: { organization_ids: [acme.id] },
    });
    expect(
      (await call('GET', `${BASE}/${orgSchedule.id}/assignments.json`, undefined, asAgent())).body,
    ).toEqual({
      assignments: { group_ids: [], organization_ids: [acme.id] },
    });

    expect((await scheduleForTicket({ group_id: support.id, organization_id: acme.id }))?.id).toBe(
      groupSchedule.id,
    );
    expect((await scheduleForTicket({ group_id: 424242, organization_id: acme.id }))?.id).toBe(
      orgSchedule.id,
    );
    expect((await scheduleForTicket({ group_id: null, organization_id: null }))?.id).toBe(oldest.id);

    expect((await call('DELETE', `${BASE}/${oldest.id}.json`)).status).toBe(204);
    expect((await call('GET', `${BASE}/${oldest.id}.json`)).status).toBe(404);
    const nextOldest = (await call('GET', `${BASE}.json`)).body.schedules[0] as { id: number };
    expect(nextOldest.id).toBeGreaterThan(oldest.id);
    expect((await scheduleForTicket({}))?.id).toBe(nextOldest.id);
  });

  it('moves a group from one schedule to another in one write', async () => {
    const group = await createGroup({ name: 'Nights' }, NOW);
    const first = await createSchedule('First', 'UTC');
    const second = await createSchedule('Second', 'UTC');
    await call('PUT', `${BASE}/${first.id}/assignments.json`, { assignments: { group_ids: [group.id] } });
    await call('PUT', `${BASE}/${second.id}/assignments.json`, { assignments: { group_ids: [group.id] } });
    expect((await call('GET', `${BASE}/${first.id}/assignments.json`)).body.assignments.group_ids).toEqual(
      [],
    );
    expect((await call('GET', `${BASE}/${second.id}/assignments.json`)).body.assignments.group_ids).toEqual([
      group.id,
    ]);
    expect((await scheduleForTicket({ group_id: group.id }))?.id).toBe(second.id);
  });

  it('refuses unknown and deleted groups and unknown organizations, changing nothing', async () => {
    const gone = await createGroup({ name: 'Gone' }, NOW);
    await deleteGroup(gone.id, NOW);
    const schedule = await createSchedule('Picky', 'UTC');
    const response = await call('PUT', `${BASE}/${schedule.id}/assignments.json`, {
      assignments: { group_ids: [gone.id, 777777], organization_ids: [888888] },
    });
    expect(response.status).toBe(422);
    expect(response.body.details).toEqual({
      group_ids: [
        {
          description: `Group ids: no group ${Math.min(gone.id, 777777)}, ${Math.max(gone.id, 777777)}`,
          error: 'InvalidValue',
        },
      ],
      organization_ids: [{ description: 'Organization ids: no organization 888888', error: 'InvalidValue' }],
    });
    expect((await call('GET', `${BASE}/${schedule.id}/assignments.json`)).body.assignments).toEqual({
      group_ids: [],
      organization_ids: [],
    });
  });
});
