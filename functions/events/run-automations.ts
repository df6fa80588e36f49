/**
 * Hourly job: Zendesk's automations, evaluated at the scheduled instant (shared/use-cases/rules/
 * run-automations.ts). Re-running it is harmless: an automation fires on a ticket at most once an hour.
 */
import type { ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { toTimestamp } from '../../shared/domain/clock.ts';
import { logger } from '../../shared/observability/logger.ts';
import { runAutomations } from '../../shared/use-cases/rules/run-automations.ts';

const scheduledEvent = z.object({ time: z.iso.datetime() });

export const handler = async (
  event: Pick<ScheduledEvent, 'time'>,
): Promise<{ candidates: number; fired: number }> => {
  const now = toTimestamp(new Date(scheduledEvent.parse(event).time));
  const outcome = await runAutomations({ now });
  logger.info('Automations ran', { now, candidates: outcome.candidates, fired: outcome.fired.length });
  // Reported as a failed invocation, so it shows in alarms and the retry picks the tickets up again.
  if (outcome.failed.length) throw new Error(`Automations failed on tickets ${outcome.failed.join(', ')}`);
  return { candidates: outcome.candidates, fired: outcome.fired.length };
};
