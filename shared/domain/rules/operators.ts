/**
 * Condition operators as Zendesk names them, and the orders `less_than`/`greater_than` compare in.
 * The change operators (`changed`, `value`, ...) look at the update, so only triggers may use them.
 */
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../tickets/ticket.ts';

export const OPERATORS = [
  'is',
  'is_not',
  'less_than',
  'greater_than',
  'changed',
  'value',
  'value_previous',
  'not_changed',
  'not_value',
  'not_value_previous',
  'includes',
  'not_includes',
  'present',
  'not_present',
] as const;

export type Operator = (typeof OPERATORS)[number];

export const CHANGE_OPERATORS = [
  'changed',
  'value',
  'value_previous',
  'not_changed',
  'not_value',
  'not_value_previous',
] as const satisfies readonly Operator[];

/** Operators that take no value (`status changed`, `custom field present`). */
export const VALUELESS_OPERATORS: ReadonlySet<Operator> = new Set([
  'changed',
  'not_changed',
  'present',
  'not_present',
]);

export const isOperator = (name: string): name is Operator => (OPERATORS as readonly string[]).includes(name);

/** Zendesk's order of statuses and priorities, lowest first. */
export const FIELD_ORDERS: Readonly<Record<'status' | 'priority', readonly string[]>> = {
  status: TICKET_STATUSES,
  priority: TICKET_PRIORITIES,
};

/**
 * Compares two ordered values; a missing priority (null) ranks below `low`, so `priority less_than
 * normal` matches tickets with no priority, as a view of "not yet prioritised" work expects.
 */
export const compareOrdered = (order: readonly string[], left: unknown, right: string): number =>
  order.indexOf(typeof left === 'string' ? left : '') - order.indexOf(right);

export interface ChangeState {
  previous: unknown;
  current: unknown;
}

/** Whether a change operator holds, given the value before the update and now (`equals` compares). */
export const changeOperatorHolds = (
  operator: (typeof CHANGE_OPERATORS)[number],
  { previous, current }: ChangeState,
  expected: unknown,
  equals: (left: unknown, right: unknown) => boolean,
): boolean => {
  const changed = !equals(previous, current);
  switch (operator) {
    case 'changed':
      return changed;
    case 'not_changed':
      return !changed;
    case 'value':
      return changed && equals(current, expected);
    case 'not_value':
      return !(changed && equals(current, expected));
    case 'value_previous':
      return changed && equals(previous, expected);
    case 'not_value_previous':
      return !(changed && equals(previous, expected));
  }
};
