/**
 * Pages of a view's ordered tickets in Zendesk's two styles. A cursor holds the order key of the
 * ticket at the page's edge rather than its position, so a ticket leaving the view between two
 * requests (solved, reassigned) shifts nothing and never invalidates the cursor.
 */
import { InvalidRequestError } from '../../domain/errors.ts';
import type { TicketFacts } from '../../domain/views/view-columns.ts';
import type { OrderKey, ViewOrder } from '../../domain/views/view-order.ts';
import type { Page, PageRequest } from '../../store/pagination.ts';
import { pageOfSorted } from '../../store/sorted-pages.ts';

const encodeCursor = (key: OrderKey): string => Buffer.from(JSON.stringify(key)).toString('base64url');

const decodeCursor = (cursor: string, parameter: string): OrderKey => {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 3 && Number.isSafeInteger(key[2])) return key as OrderKey;
  } catch {
    // fall through to the error below
  }
  throw new InvalidRequestError(`${parameter} is not valid`, 'InvalidPaginationParameter');
};

/** `ordered` must already be in `order`; the request's own `descending` flag does not apply. */
export const pageOfViewTickets = (
  ordered: readonly TicketFacts[],
  order: ViewOrder,
  request: PageRequest,
): Page<TicketFacts> => {
  if (request.mode === 'offset') {
    const page = pageOfSorted(
      ordered.map((facts) => ({ id: facts.ticket.id, facts })),
      { ...request, descending: false },
    );
    return { ...page, items: page.items.map((item) => item.facts) };
  }
  const keys = ordered.map(order.key);
  const firstAfter = (cursor: OrderKey, inclusive: boolean) => {
    const index = keys.findIndex((key) => {
      const comparison = order.compare(key, cursor);
      return inclusive ? comparison >= 0 : comparison > 0;
    });
    return index === -1 ? ordered.length : index;
  };
  const end = request.before
    ? firstAfter(decodeCursor(request.before, 'page[before]'), true)
    : ordered.length;
  const start = request.before
    ? Math.max(0, end - request.size)
    : request.after
      ? firstAfter(decodeCursor(request.after, 'page[after]'), false)
      : 0;
  const stop = Math.min(end, start + request.size);
  const firstKey = keys[start];
  const lastKey = keys[stop - 1];
  return {
    items: ordered.slice(start, stop),
    hasMore: stop < ordered.length,
    hasPrevious: start > 0,
    afterCursor: stop > start && lastKey ? encodeCursor(lastKey) : null,
    beforeCursor: stop > start && firstKey ? encodeCursor(firstKey) : null,
  };
};
