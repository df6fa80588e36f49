/** Zendesk pagination on the wire: reading `page[size]`/`page[after]` or `page`/`per_page`, writing envelopes. */
import * as z from 'zod';
import { InvalidRequestError } from '../domain/errors.ts';
import { MAX_PAGE_SIZE, type Page, type PageRequest } from '../store/pagination.ts';
import type { ApiRequest } from './api-request.ts';

const pageNumber = z.coerce.number().int().positive();

const readNumber = (request: ApiRequest, name: string, fallback: number): number => {
  const raw = request.query.get(name);
  if (raw === null || raw === '') return fallback;
  const parsed = pageNumber.safeParse(raw);
  if (!parsed.success)
    throw new InvalidRequestError(`${name} must be a positive integer`, 'InvalidPaginationParameter');
  return parsed.data;
};

/**
 * The presence of `page[size]` (or a cursor) selects cursor mode, as in Zendesk. Sorting by id only:
 * `sort=-id` / `sort_order=desc` reverses; lists are id-ordered (creation order) otherwise.
 */
export const pageRequestOf = (
  request: ApiRequest,
  options: { defaultPerPage?: number } = {},
): PageRequest => {
  const { query } = request;
  const sort = query.get('sort') ?? '';
  const descending = sort.startsWith('-') || query.get('sort_order') === 'desc';
  const cursorMode = query.has('page[size]') || query.has('page[after]') || query.has('page[before]');
  if (cursorMode) {
    const size = Math.min(readNumber(request, 'page[size]', MAX_PAGE_SIZE), MAX_PAGE_SIZE);
    const after = query.get('page[after]') || undefined;
    const before = query.get('page[before]') || undefined;
    return { mode: 'cursor', size, descending, ...(after ? { after } : {}), ...(before ? { before } : {}) };
  }
  return {
    mode: 'offset',
    page: readNumber(request, 'page', 1),
    perPage: Math.min(
      readNumber(request, 'per_page', options.defaultPerPage ?? MAX_PAGE_SIZE),
      MAX_PAGE_SIZE,
    ),
    descending,
  };
};

/** The URL of this list with some paging parameters replaced, on the public base URL, plus `suffix`. */
const pageUrl = (
  request: ApiRequest,
  replace: Record<string, string | undefined>,
  suffix: string,
): string => {
  const params = new URLSearchParams(request.query);
  for (const [name, value] of Object.entries(replace)) {
    if (value === undefined) params.delete(name);
    else params.set(name, value);
  }
  const search = params.toString();
  return `${request.publicUrl}${request.path}${suffix}${search ? `?${search}` : ''}`;
};

/** Wraps a page in Zendesk's envelope under `key` (`tickets`, `users`, ...), plus any sideloads. */
export const pageEnvelope = <T>(
  request: ApiRequest,
  key: string,
  page: Page<T>,
  serialize: (item: T) => unknown,
  extra: Record<string, unknown> = {},
  /** Webhook paths have no `.json` form in Zendesk (nor in our API Gateway routes). */
  { pathSuffix = '.json' }: { pathSuffix?: '.json' | '' } = {},
): Record<string, unknown> => {
  const records = page.items.map(serialize);
  const pageRequest = pageRequestOf(request);
  if (pageRequest.mode === 'cursor') {
    return {
      [key]: records,
      ...extra,
      meta: { has_more: page.hasMore, after_cursor: page.afterCursor, before_cursor: page.beforeCursor },
      links: {
        prev:
          page.hasPrevious && page.beforeCursor
            ? pageUrl(request, { 'page[before]': page.beforeCursor, 'page[after]': undefined }, pathSuffix)
            : null,
        next:
          page.hasMore && page.afterCursor
            ? pageUrl(request, { 'page[after]': page.afterCursor, 'page[before]': undefined }, pathSuffix)
            : null,
      },
    };
  }
  return {
    [key]: records,
    ...extra,
    next_page: page.hasMore ? pageUrl(request, { page: String(pageRequest.page + 1) }, pathSuffix) : null,
    previous_page: page.hasPrevious
      ? pageUrl(request, { page: String(pageRequest.page - 1) }, pathSuffix)
      : null,
    count: page.count ?? records.length,
  };
};
