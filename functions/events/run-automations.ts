/**
 * The automation job, every 5 minutes: starts the hour's run of Zendesk's automations, or goes on with
 * one too big for a single invocation (shared/use-cases/rules/run-automations.ts). Ticks are harmless
 * to repeat: a run is leased, checkpointed, and an automation fires on a ticket at most once an hour.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { toTimestamp } from '../../shared/domain/clock.ts';
import { logger } from '../../shared/observability/logger.ts';
import { type AutomationTick, advanceAutomationRun } from '../../shared/use-cases/rules/run-automations.ts';

const scheduledEvent = z.object({ time: z.iso.datetime() });
/** Time kept back for the page in progress (at most 100 tickets) and the final checkpoint. */
const STOP_MARGIN_MS = 60_000;

export const handler = async (
  event: Pick<ScheduledEvent, 'time'>,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<AutomationTick['result']> => {
  const now = toTimestamp(new Date(scheduledEvent.parse(event).time));
  const tick = await advanceAutomationRun({
    now,
    shouldStop: () => context.getRemainingTimeInMillis() < STOP_MARGIN_MS,
  });
  if (tick.result !== 'worked') {
    logger.info('Automations: nothing to run', { now, result: tick.result });
    return tick.result;
  }
  const { outcome, runAt } = tick;
  logger.info('Automations ran', {
    now,
    runAt,
    candidates: outcome.candidates,
    fired: outcome.fired.length,
    finished: outcome.next === undefined,
  });
  // Reported as a failed invocation, so it shows in alarms; the next hour's run tries them again.
  if (outcome.failed.length) throw new Error(`Automations failed on tickets ${outcome.failed.join(', ')}`);
  return tick.result;
};
