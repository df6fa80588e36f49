import { describe, expect, it } from 'vitest';
import { type CsatOffer, csatFigures, csatSummary, isoWeek } from '../../shared/domain/csat/csat-summary.ts';
import {
  type CsatSettings,
  csatSettingsFrom,
  ratingOpen,
  surveyDueAt,
  surveyTimerAction,
  surveyVerdict,
} from '../../shared/domain/csat/survey-schedule.ts';
import { planNewTicket } from '../../shared/domain/tickets/plan-ticket-write.ts';
import { type Audit, apiVia, type Ticket } from '../../shared/domain/tickets/ticket.ts';

const offer = (score?: 'good' | 'bad', extra: Partial<CsatOffer> = {}): CsatOffer => ({
  offered_at: '2026-11-25T10:00:00Z',
  ...(score ? { score } : {}),
  ...extra,
});
const offers = (good: number, bad: number, unanswered: number): CsatOffer[] => [
  ...Array.from({ length: good }, () => offer('good')),
  ...Array.from({ length: bad }, () => offer('bad')),
  ...Array.from({ length: unanswered }, () => offer()),
];

describe('CSAT figures', () => {
  it.each<[string, number, number, number, number | null, number | null]>([
    ['nothing offered: no percentages, not 0 %', 0, 0, 0, null, null],
    ['offered, nobody answered: CSAT unknown, response rate 0 %', 0, 0, 4, null, 0],
    ['all good', 3, 0, 0, 100, 100],
    ['all bad', 0, 2, 0, 0, 100],
    ['unanswered offers count for the response rate only', 3, 1, 4, 75, 50],
    ['thirds round to one decimal', 1, 2, 0, 33.3, 100],
    ['two thirds round half up', 2, 1, 3, 66.7, 50],
    ['one in eight answered', 1, 0, 7, 100, 12.5],
    ['one in three answered', 1, 0, 2, 100, 33.3],
  ])('%s (%i good, %i bad, %i unanswered)', (_case, good, bad, unanswered, csat, responseRate) => {
    expect(csatFigures(offers(good, bad, unanswered))).toEqual({
      offered: good + bad + unanswered,
      good,
      bad,
      csat_percent: csat,
      response_rate_percent: responseRate,
    });
  });
});

describe('ISO weeks', () => {
  it.each([
    ['a Wednesday mid-year', '2026-07-15T12:00:00Z', '2026-W29'],
    ['Monday starts the week', '2026-11-23T00:00:00Z', '2026-W48'],
    ['Sunday ends it', '2026-11-29T23:59:59Z', '2026-W48'],
    ['1 January on a Thursday is week 1', '2026-01-01T00:00:00Z', '2026-W01'],
    ['1 January on a Friday belongs to the last week of the year before', '2027-01-01T08:00:00Z', '2026-W53'],
    ['a Sunday 3 January still in the year before', '2027-01-03T12:00:00Z', '2026-W53'],
    ['the Monday after starts week 1', '2027-01-04T00:00:00Z', '2027-W01'],
    ['29 December on a Monday is week 1 of the next year', '2025-12-29T00:00:00Z', '2026-W01'],
    ['31 December 2024 (Tuesday) is 2025-W01', '2024-12-31T23:59:59Z', '2025-W01'],
    ['a year with 52 weeks ends on W52', '2025-12-28T12:00:00Z', '2025-W52'],
    ['1 January on a Saturday belongs to W52 of the year before', '2022-01-01T00:00:00Z', '2021-W52'],
    ['leap year: 29 February 2028', '2028-02-29T00:00:00Z', '2028-W09'],
    [
      'weeks are UTC: late Sunday evening west of UTC is already Monday',
      '2026-11-29T23:30:00-05:00',
      '2026-W49',
    ],
  ])('%s: %s → %s', (_case, instant, week) => {
    expect(isoWeek(instant)).toBe(week);
  });
});

describe('the CSAT summary', () => {
  it('splits by group, assignee, organization and week, leaving out offers without that segment', () => {
    const summary = csatSummary([
      offer('good', { group_id: 2, assignee_id: 7, organization_id: 30, offered_at: '2026-12-31T10:00:00Z' }),
      offer('bad', { group_id: 2, assignee_id: 8, offered_at: '2027-01-04T10:00:00Z' }),
      offer(undefined, { group_id: 1, assignee_id: 7, offered_at: '2027-01-05T10:00:00Z' }),
      offer('good', { offered_at: '2027-01-05T11:00:00Z' }),
    ]);
    expect(summary).toMatchObject({
      offered: 4,
      good: 2,
      bad: 1,
      csat_percent: 66.7,
      response_rate_percent: 75,
    });
    expect(summary.by_group).toEqual([
      { group_id: 1, offered: 1, good: 0, bad: 0, csat_percent: null, response_rate_percent: 0 },
      { group_id: 2, offered: 2, good: 1, bad: 1, csat_percent: 50, response_rate_percent: 100 },
    ]);
    expect(summary.by_assignee).toMatchObject([
      { assignee_id: 7, offered: 2 },
      { assignee_id: 8, offered: 1 },
    ]);
    expect(summary.by_organization).toMatchObject([{ organization_id: 30, offered: 1 }]);
    expect(summary.by_organization).toHaveLength(1);
    expect(summary.by_week).toEqual([
      { week: '2026-W53', offered: 1, good: 1, bad: 0, csat_percent: 100, response_rate_percent: 100 },
      { week: '2027-W01', offered: 3, good: 1, bad: 1, csat_percent: 50, response_rate_percent: 66.7 },
    ]);
  });
});

const statusEvent = (type: 'Create' | 'Change', value: string, previous?: string): Pick<Audit, 'events'> => ({
  events: [
    type === 'Create'
      ? { id: 1, type, field_name: 'status', value }
      : { id: 1, type, field_name: 'status', value, previous_value: previous },
  ],
});

describe('surveyTimerAction', () => {
  it.each<[string, Pick<Audit, 'events'>, 'schedule' | 'cancel' | 'none']>([
    ['open → solved schedules', statusEvent('Change', 'solved', 'open'), 'schedule'],
    ['pending → solved schedules', statusEvent('Change', 'solved', 'pending'), 'schedule'],
    ['created solved schedules', statusEvent('Create', 'solved'), 'schedule'],
    ['created open does nothing', statusEvent('Create', 'open'), 'none'],
    ['created new does nothing', statusEvent('Create', 'new'), 'none'],
    ['solved → open cancels', statusEvent('Change', 'open', 'solved'), 'cancel'],
    ['solved → pending cancels', statusEvent('Change', 'pending', 'solved'), 'cancel'],
    ['solved → hold cancels', statusEvent('Change', 'hold', 'solved'), 'cancel'],
    ['solved → closed keeps the survey', statusEvent('Change', 'closed', 'solved'), 'none'],
    ['open → pending does nothing', statusEvent('Change', 'pending', 'open'), 'none'],
    [
      'no status change does nothing',
      { events: [{ id: 1, type: 'Change', field_name: 'priority', value: 'high', previous_value: 'low' }] },
      'none',
    ],
    [
      'a comment alone does nothing',
      {
        events: [
          {
            id: 1,
            type: 'Comment',
            body: 'Thanks',
            html_body: '<p>Thanks</p>',
            plain_body: 'Thanks',
            public: true,
            author_id: 2,
            attachments: [],
          } as unknown as Audit['events'][number],
        ],
      },
      'none',
    ],
  ])('%s', (_case, audit, action) => {
    expect(surveyTimerAction(audit)).toBe(action);
  });
});

describe('surveyDueAt and settings', () => {
  it.each<[string, Record<string, string>, CsatSettings]>([
    ['defaults: 24 h, csat_opt_out', {}, { delayMinutes: 1440, optOutTag: 'csat_opt_out' }],
    ['a delay in minutes', { CSAT_DELAY_MINUTES: '90' }, { delayMinutes: 90, optOutTag: 'csat_opt_out' }],
    ['zero: right away', { CSAT_DELAY_MINUTES: '0' }, { delayMinutes: 0, optOutTag: 'csat_opt_out' }],
    ['negative falls back', { CSAT_DELAY_MINUTES: '-5' }, { delayMinutes: 1440, optOutTag: 'csat_opt_out' }],
    [
      'fractional falls back',
      { CSAT_DELAY_MINUTES: '1.5' },
      { delayMinutes: 1440, optOutTag: 'csat_opt_out' },
    ],
    [
      'not a number falls back',
      { CSAT_DELAY_MINUTES: 'soon' },
      { delayMinutes: 1440, optOutTag: 'csat_opt_out' },
    ],
    ['empty falls back', { CSAT_DELAY_MINUTES: '' }, { delayMinutes: 1440, optOutTag: 'csat_opt_out' }],
    [
      'the tag is normalised',
      { CSAT_OPT_OUT_TAG: ' No_Survey ' },
      { delayMinutes: 1440, optOutTag: 'no_survey' },
    ],
  ])('%s', (_case, env, settings) => {
    expect(csatSettingsFrom(env)).toEqual(settings);
  });

  it.each([
    ['2026-11-25T10:00:00Z', 1440, '2026-11-26T10:00:00.000Z'],
    ['2026-12-31T23:30:00Z', 60, '2027-01-01T00:30:00.000Z'],
    ['2026-11-25T10:00:00.250Z', 0, '2026-11-25T10:00:00.250Z'],
  ])('a solve at %s with %i minutes is due at %s', (solvedAt, delayMinutes, due) => {
    expect(surveyDueAt(solvedAt, { delayMinutes, optOutTag: 'csat_opt_out' })).toBe(due);
  });
});

const SETTINGS: CsatSettings = { delayMinutes: 1440, optOutTag: 'csat_opt_out' };
const solvedTicket = (overrides: Partial<Ticket> = {}): Ticket => ({
  ...planNewTicket(
    {
      id: 10,
      requester_id: 2,
      submitter_id: 1,
      subject: 'Printer on fire',
      status: 'solved',
      assignee_id: 1,
      comment: { body: 'It burns', public: true, author_id: 2, authorIsEndUser: true },
    },
    { auditId: 100, now: '2026-11-25T10:00:00.000Z', actorId: 1, via: apiVia() },
  ).ticket,
  ...overrides,
});
const rated = (score: 'good' | 'bad' | 'offered' | 'unoffered') => ({
  satisfaction_rating: {
    score,
    comment: null,
    reason_code: null,
    id: score === 'good' || score === 'bad' ? 5 : null,
  },
});

describe('surveyVerdict', () => {
  it.each<[string, Ticket | undefined, unknown[], string | undefined, ReturnType<typeof surveyVerdict>]>([
    ['solved, addressable, unrated: send', solvedTicket(), [], 'cy@example.test', { send: true }],
    [
      'closed since the solve: still send',
      solvedTicket({ status: 'closed' }),
      ['closed'],
      'cy@example.test',
      { send: true },
    ],
    [
      'offered already by a rule: still send',
      solvedTicket(rated('offered')),
      [],
      'cy@example.test',
      { send: true },
    ],
    ['the ticket is gone', undefined, [], 'cy@example.test', { send: false, reason: 'ticket_gone' }],
    [
      'the ticket was deleted',
      solvedTicket({ deleted_at: '2026-11-25T11:00:00.000Z' }),
      [],
      'cy@example.test',
      { send: false, reason: 'ticket_gone' },
    ],
    [
      'reopened now',
      solvedTicket({ status: 'open' }),
      ['open'],
      'cy@example.test',
      { send: false, reason: 'reopened' },
    ],
    [
      'reopened and solved again since: that later solve has its own survey',
      solvedTicket(),
      ['open', 'solved'],
      'cy@example.test',
      { send: false, reason: 'reopened' },
    ],
    ['no usable address', solvedTicket(), [], undefined, { send: false, reason: 'no_deliverable_email' }],
    [
      'opted out by tag',
      solvedTicket({ tags: ['vip', 'csat_opt_out'] }),
      [],
      'cy@example.test',
      { send: false, reason: 'opted_out' },
    ],
    [
      'rated good already',
      solvedTicket(rated('good')),
      [],
      'cy@example.test',
      { send: false, reason: 'already_rated' },
    ],
    [
      'rated bad already',
      solvedTicket(rated('bad')),
      [],
      'cy@example.test',
      { send: false, reason: 'already_rated' },
    ],
  ])('%s', (_case, ticket, changedSince, requesterAddress, verdict) => {
    expect(surveyVerdict({ ticket, changedSince, requesterAddress, settings: SETTINGS })).toEqual(verdict);
  });
});

describe('ratingOpen', () => {
  const closedAt = '2026-11-25T10:00:00.000Z';
  const at = (iso: string) => Date.parse(iso);
  it.each<[string, Ticket['status'], string, boolean]>([
    ['a solved ticket, days later', 'solved', '2026-12-20T10:00:00.000Z', true],
    ['an open ticket (rated, then reopened)', 'open', '2026-12-20T10:00:00.000Z', true],
    ['closed, within the 24 h grace', 'closed', '2026-11-26T09:59:59.999Z', true],
    ['closed, exactly 24 h later', 'closed', '2026-11-26T10:00:00.000Z', true],
    ['closed, past the grace', 'closed', '2026-11-26T10:00:00.001Z', false],
  ])('%s: %s', (_case, status, now, open) => {
    expect(ratingOpen({ status, updated_at: closedAt }, at(now))).toBe(open);
  });
});
