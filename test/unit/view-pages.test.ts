import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../shared/domain/errors.ts';
import type { Ticket, TicketPriority } from '../../shared/domain/tickets/ticket.ts';
import type { ViewExecution } from '../../shared/domain/views/view.ts';
import type { TicketFacts } from '../../shared/domain/views/view-columns.ts';
import { viewOrder } from '../../shared/domain/views/view-order.ts';
import { pageOfViewTickets } from '../../shared/use-cases/views/view-pages.ts';

const EXECUTION: ViewExecution = {
  columns: [{ id: 'priority', title: 'Priority' }],
  group_by: null,
  group_order: 'asc',
  sort_by: 'priority',
  sort_order: 'desc',
};

const facts = (id: number, priority: TicketPriority | null): TicketFacts => ({
  ticket: { id, priority, status: 'open', updated_at: '2026-01-01T00:00:00Z' } as Ticket,
});

/** Ids 1..8 with priorities, so ties are broken by id in the sort direction. */
const TICKETS = [
  facts(1, 'low'),
  facts(2, 'urgent'),
  facts(3, null),
  facts(4, 'high'),
  facts(5, 'urgent'),
  facts(6, 'normal'),
  facts(7, 'high'),
  facts(8, null),
];

const ordered = (order = viewOrder(EXECUTION), tickets = TICKETS) =>
  [...tickets].sort((left, right) => order.compare(order.key(left), order.key(right)));

const ids = (items: readonly TicketFacts[]) => items.map((item) => item.ticket.id);

describe('view order', () => {
  it('sorts by the sort column with id as the tie-break, a missing priority lowest', () => {
    expect(ids(ordered())).toEqual([5, 2, 7, 4, 6, 1, 8, 3]);
  });

  it('takes the request’s sort_by and sort_order over the view’s', () => {
    expect(ids(ordered(viewOrder(EXECUTION, { sort_by: 'nice_id', sort_order: 'asc' })))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });

  it('orders by the group column before the sort column', () => {
    const grouped = viewOrder({ ...EXECUTION, group_by: 'nice_id', group_order: 'desc' });
    expect(ids(ordered(grouped))).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });
});

describe('pageOfViewTickets', () => {
  const order = viewOrder(EXECUTION);
  const cursorPage = (list: TicketFacts[], after?: string, before?: string) =>
    pageOfViewTickets(list, order, {
      mode: 'cursor',
      size: 3,
      descending: false,
      ...(after ? { after } : {}),
      ...(before ? { before } : {}),
    });

  it('walks every ticket once in cursor pages, and back with page[before]', () => {
    const list = ordered();
    const first = cursorPage(list);
    const second = cursorPage(list, first.afterCursor ?? undefined);
    const third = cursorPage(list, second.afterCursor ?? undefined);
    expect([first, second, third].map((page) => ids(page.items))).toEqual([
      [5, 2, 7],
      [4, 6, 1],
      [8, 3],
    ]);
    expect([first.hasMore, second.hasMore, third.hasMore]).toEqual([true, true, false]);
    expect(ids(cursorPage(list, undefined, third.beforeCursor ?? undefined).items)).toEqual([4, 6, 1]);
  });

  it('continues after a cursor whose ticket has left the view since', () => {
    const first = cursorPage(ordered());
    const withoutEdge = ordered().filter((item) => item.ticket.id !== 7);
    expect(ids(cursorPage(withoutEdge, first.afterCursor ?? undefined).items)).toEqual([4, 6, 1]);
  });

  it('pages by offset with the total count', () => {
    const page = pageOfViewTickets(ordered(), order, {
      mode: 'offset',
      page: 2,
      perPage: 3,
      descending: true,
    });
    expect(ids(page.items)).toEqual([4, 6, 1]);
    expect(page).toMatchObject({ count: 8, hasMore: true, hasPrevious: true });
  });

  it.each(['nonsense', Buffer.from('{"id":1}').toString('base64url')])('rejects the cursor %s', (cursor) => {
    expect(() => cursorPage(ordered(), cursor)).toThrow(InvalidRequestError);
  });
});
