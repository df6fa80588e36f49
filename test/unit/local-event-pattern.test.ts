import { describe, expect, it } from 'vitest';
import { matchesPattern, UnsupportedPatternError } from '../../infra/local/event-pattern.ts';

const event = {
  version: '0',
  source: 'relaydesk.tickets',
  'detail-type': 'ticket.updated',
  detail: {
    ticket_id: 7,
    via: { channel: 'email' },
    tags: ['vip', 'billing'],
    status: 'open',
    assignee_id: null,
  },
};

describe('matchesPattern (EventBridge semantics)', () => {
  it.each([
    ['one listed source', { source: ['relaydesk.tickets'] }, true],
    ['a source that is not listed', { source: ['relaydesk.mail'] }, false],
    ['any of several values', { 'detail-type': ['ticket.created', 'ticket.updated'] }, true],
    ['every key must match', { source: ['relaydesk.tickets'], 'detail-type': ['ticket.created'] }, false],
    ['a detail key', { detail: { status: ['open', 'new'] } }, true],
    ['a detail key with another value', { detail: { status: ['solved'] } }, false],
    ['a number in detail', { detail: { ticket_id: [7] } }, true],
    ['a number as a string does not match', { detail: { ticket_id: ['7'] } }, false],
    ['a nested detail key', { detail: { via: { channel: ['email'] } } }, true],
    ['a nested detail key with another value', { detail: { via: { channel: ['web'] } } }, false],
    ['a prefix', { 'detail-type': [{ prefix: 'ticket.' }] }, true],
    ['a prefix that does not fit', { 'detail-type': [{ prefix: 'comment.' }] }, false],
    ['a prefix mixed with values', { 'detail-type': ['comment.added', { prefix: 'ticket.up' }] }, true],
    ['an array value matches when any element does', { detail: { tags: ['billing'] } }, true],
    ['an array value with no matching element', { detail: { tags: ['urgent'] } }, false],
    ['null matches a null value', { detail: { assignee_id: [null] } }, true],
    ['a key absent from the event', { detail: { group_id: [1] } }, false],
    ['a nested pattern against a scalar', { detail: { status: { value: ['open'] } } }, false],
    ['an empty pattern matches everything', {}, true],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it('refuses operators it does not implement instead of silently not matching', () => {
    expect(() => matchesPattern({ detail: { ticket_id: [{ numeric: ['>', 5] }] } }, event)).toThrow(
      UnsupportedPatternError,
    );
  });
});
