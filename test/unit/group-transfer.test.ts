import { describe, expect, it } from 'vitest';
import { groupTransferIn, type RecordedFieldChange } from '../../shared/domain/tickets/group-transfer.ts';

const status: RecordedFieldChange = { field: 'status', previous: 'new', value: 'open' };
const groupChange = (previous: unknown, value: unknown): RecordedFieldChange => ({
  field: 'group_id',
  previous,
  value,
});

describe('the group transfer a ticket change describes', () => {
  it('is a move from one group to another, whatever else changed', () => {
    expect(groupTransferIn([status, groupChange(11, 12)])).toEqual({ fromGroupId: 11, toGroupId: 12 });
  });

  it.each<[string, RecordedFieldChange[]]>([
    ['a first group (routing, from none)', [groupChange(null, 12)]],
    ['a group removed (to none)', [groupChange(11, null)]],
    ['the same group recorded as both sides', [groupChange(11, 11)]],
    ['a change that leaves the group alone', [status]],
    ['an audit with no field changes (a comment only)', []],
    ['a side that is not a group id', [groupChange('11', 12)]],
    ['a creation, whose changes start from null', [groupChange(null, 11), { ...status, previous: null }]],
  ])('is none for %s', (_, changes) => {
    expect(groupTransferIn(changes)).toBeNull();
  });
});
