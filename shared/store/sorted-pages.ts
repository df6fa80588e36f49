/**
 * Zendesk pagination over a short list already ordered in memory (rules by position), in both
 * styles. The cursor names the id of the record at the edge of the page.
 */
import { InvalidRequestError } from '../domain/errors.ts';
import { MAX_OFFSET_RECORDS, type Page, type PageRequest } from './pagination.ts';

const encode = (id: number) => Buffer.from(JSON.stringify({ id })).toString('base64url');

const decodeIndex = <T extends { id: number }>(
  items: readonly T[],
  cursor: string,
  parameter: string,
): number => {
  try {
    const { id } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id: unknown };
    const index = items.findIndex((item) => item.id === id);
    if (index >= 0) return index;
  } catch {
    // fall through to the error below
  }
  throw new InvalidRequestError(`${parameter} is not valid`, 'InvalidPaginationParameter');
};

export const pageOfSorted = <T extends { id: number }>(sorted: readonly T[], page: PageRequest): Page<T> => {
  const items = page.descending ? [...sorted].reverse() : [...sorted];
  if (page.mode === 'offset') {
    const skip = (page.page - 1) * page.perPage;
    if (skip + page.perPage > MAX_OFFSET_RECORDS) {
      throw new InvalidRequestError(
        `Offset pagination is limited to ${MAX_OFFSET_RECORDS} records; use cursor pagination`,
      );
    }
    return {
      items: items.slice(skip, skip + page.perPage),
      hasMore: items.length > skip + page.perPage,
      hasPrevious: page.page > 1,
      afterCursor: null,
      beforeCursor: null,
      count: items.length,
    };
  }
  const end = page.before ? decodeIndex(items, page.before, 'page[before]') : items.length;
  const start = page.before
    ? Math.max(0, end - page.size)
    : page.after
      ? decodeIndex(items, page.after, 'page[after]') + 1
      : 0;
  const pageItems = items.slice(start, Math.min(end, start + page.size));
  const first = pageItems[0];
  const last = pageItems.at(-1);
  return {
    items: pageItems,
    hasMore: start + pageItems.length < items.length,
    hasPrevious: start > 0,
    afterCursor: last ? encode(last.id) : null,
    beforeCursor: first ? encode(first.id) : null,
  };
};
