import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toTimestamp } from '../../shared/domain/clock.ts';
import {
  type CandidateQuery,
  candidateQueries,
  candidateStatuses,
  mergeCandidateQueries,
} from '../../shared/domain/rules/automation-candidates.ts';
import { runAutomation } from '../../shared/domain/rules/automation-rules.ts';
import { type CompiledRule, compileRule } from '../../shared/domain/rules/compile-rule.ts';
import type { Condition } from '../../shared/domain/rules/conditions.ts';
import type { RuleTicket } from '../../shared/domain/rules/rule-context.ts';
import { TICKET_STATUSES, type TicketStatus } from '../../shared/domain/tickets/ticket.ts';

const NOW = '2026-11-25T12:00:00Z';
const HOUR = 3_600_000;
const hoursBefore = (hours: number, from = NOW) => toTimestamp(new Date(Date.parse(from) - hours * HOUR));

const automation = (all: Partial<Condition>[], any: Partial<Condition>[] = []): CompiledRule => {
  const compiled = compileRule(
    {
      conditions: { all: all as Condition[], any: any as Condition[] },
      actions: [{ field: 'current_tags', value: 'touched' }],
    },
    'automation',
  );
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return compiled.rule;
};

describe('candidateStatuses', () => {
  it.each<[string, Partial<Condition>[], Partial<Condition>[], TicketStatus[]]>([
    ['status is solved', [{ field: 'status', operator: 'is', value: 'solved' }], [], ['solved']],
    [
      'status is not pending',
      [{ field: 'status', operator: 'is_not', value: 'pending' }],
      [],
      ['new', 'open', 'hold', 'solved'],
    ],
    [
      'status less than pending',
      [{ field: 'status', operator: 'less_than', value: 'pending' }],
      [],
      ['new', 'open'],
    ],
    [
      'status greater than hold',
      [{ field: 'status', operator: 'greater_than', value: 'hold' }],
      [],
      ['solved'],
    ],
    ['status is closed (never read)', [{ field: 'status', operator: 'is', value: 'closed' }], [], []],
    [
      'no status condition',
      [{ field: 'type', operator: 'is', value: 'task' }],
      [],
      ['new', 'open', 'pending', 'hold', 'solved'],
    ],
    [
      'any on status only narrows to its union',
      [{ field: 'type', operator: 'is', value: 'task' }],
      [
        { field: 'status', operator: 'is', value: 'open' },
        { field: 'status', operator: 'is', value: 'hold' },
      ],
      ['open', 'hold'],
    ],
    [
      'any with another field does not narrow',
      [{ field: 'type', operator: 'is', value: 'task' }],
      [
        { field: 'status', operator: 'is', value: 'open' },
        { field: 'priority', operator: 'is', value: 'urgent' },
      ],
      ['new', 'open', 'pending', 'hold', 'solved'],
    ],
  ])('%s', (_name, all, any, expected) => {
    expect(
      candidateStatuses(automation([...all, { field: 'NEW', operator: 'greater_than', value: '1' }], any)),
    ).toEqual(expected);
  });
});

describe('candidateQueries', () => {
  const status = { field: 'status', operator: 'is', value: 'pending' } as const;

  it.each<[string, Partial<Condition>, Omit<CandidateQuery, 'status'>]>([
    [
      'hours since solved greater than 96 leaves the partition whole',
      { field: 'SOLVED', operator: 'greater_than', value: '96' },
      {},
    ],
    [
      'hours since update greater than 48 reads only tickets updated 49 h ago or earlier',
      { field: 'updated_at', operator: 'greater_than', value: '48' },
      { updatedAtOrBefore: hoursBefore(49) },
    ],
    [
      'hours since update is 24 reads one hour of the update order',
      { field: 'hours_since_update', operator: 'is', value: '24' },
      { updatedAfter: hoursBefore(25 + 1 / 3600), updatedAtOrBefore: hoursBefore(24) },
    ],
    [
      'hours since pending is 72 bounds the update from below (pending began before the last update)',
      { field: 'PENDING', operator: 'is', value: '72' },
      { updatedAfter: hoursBefore(73 + 1 / 3600) },
    ],
    [
      'hours since assigned less than 3 bounds the update from below',
      { field: 'assigned_at', operator: 'less_than', value: '3' },
      { updatedAfter: hoursBefore(3 + 1 / 3600) },
    ],
  ])('%s', (_name, time, range) => {
    expect(candidateQueries(automation([status, time]), NOW)).toEqual([{ status: 'pending', ...range }]);
  });

  it('reads nothing when the time conditions cannot hold together', () => {
    const rule = automation([
      status,
      { field: 'updated_at', operator: 'greater_than', value: '48' },
      { field: 'updated_at', operator: 'less_than', value: '10' },
    ]);
    expect(candidateQueries(rule, NOW)).toEqual([]);
  });

  it('reads nothing for a fractional "is" (whole hours elapsed never equal it)', () => {
    expect(
      candidateQueries(automation([status, { field: 'PENDING', operator: 'is', value: '1.5' }]), NOW),
    ).toEqual([]);
  });
});

describe('mergeCandidateQueries', () => {
  it('reads each status once, over the union of the ranges', () => {
    expect(
      mergeCandidateQueries([
        { status: 'solved' },
        {
          status: 'pending',
          updatedAfter: '2026-11-20T00:00:00Z',
          updatedAtOrBefore: '2026-11-21T00:00:00Z',
        },
        {
          status: 'pending',
          updatedAfter: '2026-11-22T00:00:00Z',
          updatedAtOrBefore: '2026-11-23T00:00:00Z',
        },
        { status: 'open', updatedAfter: '2026-11-22T00:00:00Z' },
        { status: 'open', updatedAtOrBefore: '2026-11-23T00:00:00Z' },
      ]),
    ).toEqual([
      { status: 'open' },
      { status: 'pending', updatedAfter: '2026-11-20T00:00:00Z', updatedAtOrBefore: '2026-11-23T00:00:00Z' },
      { status: 'solved' },
    ]);
  });
});

/** Whether the key conditions of the plan would read this ticket. */
const planReads = (queries: readonly CandidateQuery[], status: TicketStatus, updatedAt: string) =>
  queries.some(
    (query) =>
      query.status === status &&
      (query.updatedAfter === undefined || updatedAt > query.updatedAfter) &&
      (query.updatedAtOrBefore === undefined || updatedAt <= query.updatedAtOrBefore),
  );

describe('the plan never leaves out a ticket the automation matches', () => {
  const TIME_FIELDS = ['NEW', 'OPEN', 'PENDING', 'SOLVED', 'updated_at', 'assigned_at'] as const;

  it('holds for random conditions, statuses and instants', () => {
    let matches = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...TICKET_STATUSES.filter((status) => status !== 'closed')),
        fc.constantFrom('is', 'is_not', 'less_than', 'greater_than'),
        fc.constantFrom(...TICKET_STATUSES),
        fc.array(
          fc.record({
            field: fc.constantFrom(...TIME_FIELDS),
            operator: fc.constantFrom('is', 'less_than', 'greater_than'),
            hours: fc.integer({ min: 0, max: 300 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        // Seconds before now of: creation ≥ status entry/assignment ≥ last update (all at or before it).
        fc
          .tuple(fc.nat(400 * 3600), fc.nat(400 * 3600), fc.nat(400 * 3600))
          .map((ages) => ages.sort((a, b) => b - a)),
        (ticketStatus, statusOperator, statusValue, times, [createdAge, enteredAge, updatedAge]) => {
          const rule = automation([
            { field: 'status', operator: statusOperator, value: statusValue },
            ...times.map(({ field, operator, hours }) => ({ field, operator, value: String(hours) })),
          ]);
          const at = (age: number) => toTimestamp(new Date(Date.parse(NOW) - age * 1000));
          const instants = {
            created: at(createdAge ?? 0),
            entered: at(enteredAge ?? 0),
            assigned: at(enteredAge ?? 0),
            updated: at(updatedAge ?? 0),
          };
          const ticket: RuleTicket = {
            id: 1,
            subject: null,
            status: ticketStatus,
            priority: null,
            type: null,
            requester_id: 1,
            assignee_id: null,
            group_id: null,
            organization_id: null,
            tags: [],
            custom_fields: [],
            collaborator_ids: [],
            via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
          };
          const matched = runAutomation(rule, {
            ticket,
            clock: {
              now: NOW,
              statusEnteredAt: {
                open: instants.entered,
                pending: instants.entered,
                solved: instants.entered,
              },
              created_at: instants.created,
              updated_at: instants.updated,
              assigned_at: instants.assigned,
            },
          });
          if (!matched) return;
          matches += 1;
          expect(planReads(candidateQueries(rule, NOW), ticketStatus, instants.updated)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
    // The law is only tested on matches: make sure the generator produces plenty.
    expect(matches).toBeGreaterThan(100);
  });
});
