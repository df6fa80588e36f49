import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.ts';
import { resolveStatus, type StatusContext } from '../../shared/domain/tickets/status.ts';

const base: StatusContext = {
  current: undefined,
  requested: undefined,
  assigneeId: null,
  endUserCommented: false,
};

describe('the ticket status machine', () => {
  it.each<[string, Partial<StatusContext>, string]>([
    ['a new unassigned ticket starts new', {}, 'new'],
    ['a new ticket with an assignee starts open', { assigneeId: 7 }, 'open'],
    ['requesting new with an assignee opens it', { requested: 'new', assigneeId: 7 }, 'open'],
    ['assigning a new ticket opens it', { current: 'new', assigneeId: 7 }, 'open'],
    [
      'an end-user comment on pending reopens',
      { current: 'pending', assigneeId: 7, endUserCommented: true },
      'open',
    ],
    [
      'an end-user comment on hold reopens',
      { current: 'hold', assigneeId: 7, endUserCommented: true },
      'open',
    ],
    [
      'an end-user comment on solved reopens',
      { current: 'solved', assigneeId: 7, endUserCommented: true },
      'open',
    ],
    [
      'an explicit status wins over the end-user rule',
      { current: 'solved', requested: 'pending', assigneeId: 7, endUserCommented: true },
      'pending',
    ],
    ['an agent comment leaves pending alone', { current: 'pending', assigneeId: 7 }, 'pending'],
    ['solving with an assignee', { current: 'open', requested: 'solved', assigneeId: 7 }, 'solved'],
    ['closing a solved ticket', { current: 'solved', requested: 'closed', assigneeId: 7 }, 'closed'],
  ])('%s', (_, context, expected) => {
    expect(resolveStatus({ ...base, ...context })).toBe(expected);
  });

  it.each<[string, Partial<StatusContext>]>([
    ['nothing returns to new', { current: 'open', requested: 'new', assigneeId: null }],
    ['solving needs an assignee', { current: 'open', requested: 'solved' }],
    ['closing needs a solved ticket', { current: 'open', requested: 'closed', assigneeId: 7 }],
  ])('refuses: %s', (_, context) => {
    expect(() => resolveStatus({ ...base, ...context })).toThrow(ValidationError);
  });
});
