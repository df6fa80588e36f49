import { describe, expect, it } from 'vitest';
import { toTimestamp } from '../../shared/domain/clock.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { ruleMatches } from '../../shared/domain/rules/compile-rule.ts';
import type { Condition } from '../../shared/domain/rules/conditions.ts';
import type { RuleTicket } from '../../shared/domain/rules/rule-context.ts';
import { measuresFromMetrics, ticketClock } from '../../shared/domain/rules/ticket-clock.ts';
import type { TicketMetrics } from '../../shared/domain/tickets/ticket-metrics.ts';
import { compileStoredConditions, compileViewDefinition } from '../../shared/domain/views/view-definition.ts';

const NOW = '2026-11-25T12:00:00Z';
const hoursBefore = (hours: number) => toTimestamp(new Date(Date.parse(NOW) - hours * 3_600_000));

const ticket: RuleTicket & { created_at: string; updated_at: string } = {
  id: 1,
  subject: 'Printer',
  status: 'solved',
  priority: null,
  type: null,
  requester_id: 2,
  assignee_id: 3,
  group_id: null,
  organization_id: null,
  tags: [],
  custom_fields: [],
  collaborator_ids: [],
  via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
  created_at: hoursBefore(40),
  updated_at: hoursBefore(30),
};

/** Only the instants the clock reads; the rest of the record plays no part here. */
const metrics = {
  status_entered_at: { new: hoursBefore(40), open: hoursBefore(39), solved: hoursBefore(30) },
  assigned_at: hoursBefore(39),
  requester_updated_at: hoursBefore(40),
  assignee_updated_at: hoursBefore(30),
} as TicketMetrics;

const since = (field: string, operator: Condition['operator'], hours: number): Condition => ({
  field,
  operator,
  value: String(hours),
});

const matches = (condition: Condition, { withMetrics = true } = {}) =>
  ruleMatches(
    compileStoredConditions({
      all: [{ field: 'status', operator: 'is', value: 'solved' }, condition],
      any: [],
    }),
    {
      ticket,
      clock: ticketClock(ticket, withMetrics ? metrics : undefined, NOW),
    },
  );

describe('a view’s time conditions, at a fixed instant', () => {
  it.each<[string, Condition, boolean]>([
    ['solved 30 h ago: hours since solved greater than 24', since('SOLVED', 'greater_than', 24), true],
    [
      'solved 30 h ago: hours since solved greater than 30 (30 whole hours is not more)',
      since('SOLVED', 'greater_than', 30),
      false,
    ],
    ['solved 30 h ago: hours since solved is 30', since('hours_since_solved', 'is', 30), true],
    ['solved 30 h ago: hours since solved less than 168', since('SOLVED', 'less_than', 168), true],
    ['created 40 h ago: hours since created less than 2', since('NEW', 'less_than', 2), false],
    [
      'created 40 h ago: hours since created greater than 39',
      since('hours_since_created', 'greater_than', 39),
      true,
    ],
    ['updated 30 h ago: hours since update less than 31', since('updated_at', 'less_than', 31), true],
    ['assigned 39 h ago: hours since assigned is 39', since('assigned_at', 'is', 39), true],
    ['never pending: hours since pending greater than 0', since('PENDING', 'greater_than', 0), false],
    [
      'requester updated 40 h ago: hours since requester update less than 24',
      since('requester_updated_at', 'less_than', 24),
      false,
    ],
    [
      'assignee updated 30 h ago: hours since agent update greater than 12',
      since('hours_since_agent_update', 'greater_than', 12),
      true,
    ],
  ])('%s', (_name, condition, expected) => {
    expect(matches(condition)).toBe(expected);
  });

  it('measures created and updated from the ticket alone; other instants are unknown without metrics', () => {
    expect(matches(since('NEW', 'greater_than', 39), { withMetrics: false })).toBe(true);
    expect(matches(since('updated_at', 'greater_than', 29), { withMetrics: false })).toBe(true);
    expect(matches(since('SOLVED', 'greater_than', 24), { withMetrics: false })).toBe(false);
    expect(matches(since('SOLVED', 'less_than', 168), { withMetrics: false })).toBe(false);
  });
});

describe('measuresFromMetrics', () => {
  it.each([
    ['SOLVED', true],
    ['hours_since_open', true],
    ['assigned_at', true],
    ['requester_updated_at', true],
    ['hours_since_agent_update', true],
    ['NEW', false],
    ['hours_since_created', false],
    ['updated_at', false],
    ['hours_since_update', false],
    ['status', false],
    ['reopens', false],
  ])('%s → %s', (field, expected) => {
    expect(measuresFromMetrics({ field })).toBe(expected);
  });
});

describe('saving a view with time conditions', () => {
  const problemsOf = (all: unknown[], any: unknown[] = []) => {
    try {
      compileViewDefinition({ conditions: { all, any } as never, output: {} }, new Map());
      return [];
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return Object.values(error.details).flatMap((list) => list.map((problem) => problem.description));
    }
  };
  const SOLVED = { field: 'status', operator: 'is', value: 'solved' };

  it('accepts every automation time field, by Zendesk name or alias', () => {
    for (const field of [
      'NEW',
      'OPEN',
      'PENDING',
      'SOLVED',
      'CLOSED',
      'assigned_at',
      'updated_at',
      'requester_updated_at',
      'assignee_updated_at',
      'hours_since_agent_update',
    ]) {
      expect(problemsOf([SOLVED, { field, operator: 'greater_than', value: '24' }]), field).toEqual([]);
    }
  });

  it.each<[string, unknown[], unknown[], string]>([
    [
      'a time condition in any',
      [SOLVED],
      [{ field: 'SOLVED', operator: 'less_than', value: 2 }],
      "Condition 1 in any: field 'SOLVED' is only valid in 'all'",
    ],
    [
      'a change operator on a time field',
      [SOLVED, { field: 'SOLVED', operator: 'is_not', value: 2 }],
      [],
      "Condition 2 in all: operator 'is_not' is not valid for field 'SOLVED'",
    ],
    [
      'negative hours',
      [SOLVED, { field: 'NEW', operator: 'less_than', value: -1 }],
      [],
      "Condition 2 in all: invalid value '-1' for field 'NEW'",
    ],
    [
      'hours that are not a number',
      [SOLVED, { field: 'NEW', operator: 'less_than', value: 'soon' }],
      [],
      "Condition 2 in all: invalid value '\"soon\"' for field 'NEW'",
    ],
    [
      'an unknown time field',
      [SOLVED, { field: 'hours_since_lunch', operator: 'less_than', value: 2 }],
      [],
      "Condition 2 in all: unknown field 'hours_since_lunch'",
    ],
    [
      'a time condition alone (nothing narrows the tickets)',
      [{ field: 'SOLVED', operator: 'less_than', value: 2 }],
      [],
      "Conditions: 'all' must test one of status, type, group_id, assignee_id, requester_id",
    ],
  ])('refuses %s', (_name, all, any, description) => {
    expect(problemsOf(all, any)).toContain(description);
  });
});
