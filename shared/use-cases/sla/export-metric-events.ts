/**
 * The ticket metric events export: events from a start time on, oldest first, 100 a page. Zendesk's
 * time-based export resumes from `end_time`, which repeats events sharing its second and never moves
 * past a second holding more than a page; our next page also carries a cursor (the last event's sort
 * key), which wins over `start_time`, so paging neither repeats nor sticks.
 */
import { toTimestamp } from '../../domain/clock.ts';
import { InvalidRequestError } from '../../domain/errors.ts';
import type { TicketMetricEvent } from '../../domain/sla/sla-metric-events.ts';
import { MAX_PAGE_SIZE } from '../../store/pagination.ts';
import { listMetricEventsSince } from '../../store/sla/ticket-slas.ts';

const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z#\d{16}$/;

export interface MetricEventsExport {
  events: TicketMetricEvent[];
  /** Unix seconds of the last event (the next `start_time`), or the start when nothing was found. */
  endTime: number;
  /** Opaque; undefined on the last page. */
  nextCursor: string | undefined;
}

const decodeCursor = (cursor: string): string => {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!SORT_KEY.test(key)) throw new InvalidRequestError('cursor is not valid', 'InvalidPaginationParameter');
  return key;
};

export const exportMetricEvents = async (from: {
  startTime: number;
  cursor?: string | undefined;
}): Promise<MetricEventsExport> => {
  const page = await listMetricEventsSince(
    from.cursor
      ? { after: decodeCursor(from.cursor) }
      : { startIso: toTimestamp(new Date(from.startTime * 1000)) },
    MAX_PAGE_SIZE,
  );
  const last = page.events.at(-1);
  return {
    events: page.events,
    endTime: last ? Math.floor(Date.parse(last.time) / 1000) : from.startTime,
    nextCursor: page.nextAfter ? Buffer.from(page.nextAfter).toString('base64url') : undefined,
  };
};
