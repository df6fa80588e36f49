import { describe, expect, it } from 'vitest';
import type { Condition } from '../../shared/domain/rules/conditions.ts';
import { TICKET_STATUSES } from '../../shared/domain/tickets/ticket.ts';
import { planViewQuery, statusesAllowed } from '../../shared/domain/views/view-query-plan.ts';

const CALLER = 42;
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
    expect(planViewQuery([status('less_than', 'solved'), is('assignee_id', 'current_user')], CALLER)).toEqual(
      [{ index: 'byAssignee', assigneeId: CALLER }],
    );
  });

  it('prefers an assignee over a requester, and a requester over a group', () => {
    expect(
      planViewQuery([is('group_id', '7'), is('requester_id', '9'), is('assignee_id', '5')], CALLER),
    ).toEqual([{ index: 'byAssignee', assigneeId: 5 }]);
    expect(planViewQuery([is('group_id', '7'), is('requester_id', 'current_user')], CALLER)).toEqual([
      { index: 'byRequester', requesterId: CALLER },
    ]);
  });

  it('reads one group-and-status partition per allowed status for a group queue', () => {
    expect(planViewQuery([status('less_than', 'pending'), is('group_id', '7')], CALLER)).toEqual([
      { index: 'byGroupStatus', groupId: 7, status: 'new' },
      { index: 'byGroupStatus', groupId: 7, status: 'open' },
    ]);
  });

  it('reads status partitions when the assignee is "none", which no index holds', () => {
    expect(planViewQuery([status('less_than', 'solved'), is('assignee_id', '')], CALLER)).toEqual(
      ['new', 'open', 'pending', 'hold'].map((value) => ({ index: 'byStatus', status: value })),
    );
  });

  it('does not treat negated references as a partition to read', () => {
    expect(
      planViewQuery([{ field: 'assignee_id', operator: 'is_not', value: '5' }, status('is', 'hold')], CALLER),
    ).toEqual([{ index: 'byStatus', status: 'hold' }]);
  });

  it('falls back to every live ticket in update order when nothing narrows by index', () => {
    expect(planViewQuery([is('type', 'incident')], CALLER)).toEqual([{ index: 'byUpdated' }]);
    expect(planViewQuery([{ field: 'group_id', operator: 'is_not', value: '3' }], CALLER)).toEqual([
      { index: 'byUpdated' },
    ]);
  });

  it('reads nothing when no status satisfies the conditions', () => {
    expect(
      planViewQuery([status('is', 'open'), status('is', 'solved'), is('assignee_id', '5')], CALLER),
    ).toEqual([]);
  });
});
