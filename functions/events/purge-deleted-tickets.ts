/**
 * Daily job: tickets soft-deleted more than 30 days ago are removed for good, as Zendesk scrubs its
 * deleted tickets. Re-running it is harmless; a partly purged ticket is finished on the next run.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { logger } from '../../shared/observability/logger.ts';
import { deletedTicketsBefore, purgeTicketPartition } from '../../shared/store/tickets/purge-deleted.ts';

export const RETENTION_DAYS = 30;
const TICKETS_PER_PAGE = 100;

export const handler = async (event: Pick<ScheduledEvent, 'time'>): Promise<{ purged: number }> => {
  const cutoff = new Date(Date.parse(event.time) - RETENTION_DAYS * 24 * 60 * 60 * 1000).toISOString();
  let purged = 0;
  for (;;) {
    const ids = await deletedTicketsBefore(cutoff, TICKETS_PER_PAGE);
    if (ids.length === 0) break;
    for (const id of ids) await purgeTicketPartition(id);
    purged += ids.length;
  }
  logger.info('Purged deleted tickets', { purged, cutoff });
  return { purged };
};
