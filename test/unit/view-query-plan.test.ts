import { describe, expect, it } from 'vitest';
import { toTimestamp } from '../../shared/domain/clock.ts';
import type { Condition } from '../../shared/domain/rules/conditions.ts';
import { TICKET_STATUSES } from '../../shared/domain/tickets/ticket.ts';
import { planViewQuery, statusesAllowed } from '../../shared/domain/views/view-query-plan.ts';

const CALLER = 42;
const NOW = '2026-11-25T12:00:00Z';
const is = (field: string, value: string): Condition => ({ field, operator: 'is', value });
const status = (operator: Condition['operator'], value: string): Condition => ({
  field: 'status',
  operator,
  value,
});

describe('statusesAllowed', () => {
  it.each([
    { conditions: [status('less_than', 'solved')], expected: ['new', 'open', 'pending', 'hold'] },
    { conditions: [status('greater_than', 'hold')], expected: ['solved', 'closed'] },
    { conditions: [status('is', 'pending')], expected: ['pending'] },
    { conditions: [status('is_not', 'closed')], expected: ['new', 'open', 'pending', 'hold', 'solved'] },
    {
      conditions: [status('less_than', 'solved'), status('is_not', 'new')],
      expected: ['open', 'pending', 'hold'],
    },
    { conditions: [status('is', 'open'), status('is', 'solved')], expected: [] },
    { conditions: [is('type', 'incident')], expected: [...TICKET_STATUSES] },
  ])('allows $expected for $conditions', ({ conditions, expected }) => {
    expect(statusesAllowed(conditions)).toEqual(expected);
  });
});

describe('planViewQuery', () => {
  it('reads the caller’s assignee partition for assignee_id is current_user', () => {
    expect(
      planViewQuery([status('less_than', 'solved'), is('assignee_id', 'current_user')], CALLER, NOW),
    ).toEqual([{ index: 'byAssignee', assigneeId: CALLER }]);
  });

  it('prefers an assignee over a requester, and a requester over a group', () => {
    expect(
      planViewQuery([is('group_id', '7'), is('requester_id', '9'), is('assignee_id', '5')], CALLER, NOW),
    ).toEqual([{ index: 'byAssignee', assigneeId: 5 }]);
    expect(planViewQuery([is('group_id', '7'), is('requester_id', 'current_user')], CALLER, NOW)).toEqual([
      { index: 'byRequester', requesterId: CALLER },
    ]);
  });

  it('reads one group-and-status partition per allowed status for a group queue', () => {
    expect(planViewQuery([status('less_than', 'pending'), is('group_id', '7')], CALLER, NOW)).toEqual([
      { index: 'byGroupStatus', groupId: 7, status: 'new' },
      { index: 'byGroupStatus', groupId: 7, status: 'open' },
    ]);
  });

  it('reads status partitions when the assignee is "none", which no index holds', () => {
    expect(planViewQuery([status('less_than', 'solved'), is('assignee_id', '')], CALLER, NOW)).toEqual(
      ['new', 'open', 'pending', 'hold'].map((value) => ({ index: 'byStatus', status: value })),
    );
  });

  it('does not treat negated references as a partition to read', () => {
    expect(
      planViewQuery(
        [{ field: 'assignee_id', operator: 'is_not', value: '5' }, status('is', 'hold')],
        CALLER,
        NOW,
      ),
    ).toEqual([{ index: 'byStatus', status: 'hold' }]);
  });

  it('falls back to every live ticket in update order when nothing narrows by index', () => {
    expect(planViewQuery([is('type', 'incident')], CALLER, NOW)).toEqual([{ index: 'byUpdated' }]);
    expect(planViewQuery([{ field: 'group_id', operator: 'is_not', value: '3' }], CALLER, NOW)).toEqual([
      { index: 'byUpdated' },
    ]);
  });

  it('reads nothing when no status satisfies the conditions', () => {
    expect(
      planViewQuery([status('is', 'open'), status('is', 'solved'), is('assignee_id', '5')], CALLER, NOW),
    ).toEqual([]);
  });

  describe('with time conditions', () => {
    const since = (field: string, operator: Condition['operator'], hours: number): Condition => ({
      field,
      operator,
      value: String(hours),
    });
    /** An instant `hours` before NOW, as the plan's timestamps are written. */
    const hoursBefore = (hours: number) => toTimestamp(new Date(Date.parse(NOW) - hours * 3_600_000));

    it('reads only the week of the solved partition for "hours since solved less than 168"', () => {
      expect(planViewQuery([status('is', 'solved'), since('SOLVED', 'less_than', 168)], CALLER, NOW)).toEqual(
        [{ index: 'byStatus', status: 'solved', updatedAfter: hoursBefore(168 + 1 / 3600) }],
      );
    });

    it('bounds the update order from above for "hours since update greater than 24"', () => {
      expect(
        planViewQuery(
          [is('group_id', '7'), status('is', 'open'), since('updated_at', 'greater_than', 24)],
          CALLER,
          NOW,
        ),
      ).toEqual([{ index: 'byGroupStatus', groupId: 7, status: 'open', updatedAtOrBefore: hoursBefore(25) }]);
    });

    it('narrows every live ticket to the range when nothing else narrows by index', () => {
      expect(planViewQuery([is('type', 'task'), since('hours_since_update', 'is', 2)], CALLER, NOW)).toEqual([
        { index: 'byUpdated', updatedAfter: hoursBefore(3 + 1 / 3600), updatedAtOrBefore: hoursBefore(2) },
      ]);
    });

    it('leaves the partition whole when the condition bounds nothing ("hours since solved greater than 24")', () => {
      expect(
        planViewQuery([status('is', 'solved'), since('SOLVED', 'greater_than', 24)], CALLER, NOW),
      ).toEqual([{ index: 'byStatus', status: 'solved' }]);
    });

    it('reads a person’s partition whole: it is in creation order, the conditions filter it', () => {
      expect(
        planViewQuery([is('assignee_id', 'current_user'), since('NEW', 'less_than', 2)], CALLER, NOW),
      ).toEqual([{ index: 'byAssignee', assigneeId: CALLER }]);
    });

    it('reads nothing when the time conditions cannot hold together at this instant', () => {
      expect(
        planViewQuery(
          [
            status('is', 'open'),
            since('updated_at', 'greater_than', 48),
            since('updated_at', 'less_than', 10),
          ],
          CALLER,
          NOW,
        ),
      ).toEqual([]);
      expect(planViewQuery([status('is', 'open'), since('OPEN', 'is', 1.5)], CALLER, NOW)).toEqual([]);
    });
  });
});
