/**
 * Daily job: the NPS selection (shared/use-cases/nps/select-nps-recipients.ts) queues today's surveys;
 * the deliver-nps-surveys job mails them. Re-running it the same day queues nobody twice.
 */
import { randomInt } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { logger } from '../../shared/observability/logger.ts';
import { selectNpsRecipients } from '../../shared/use-cases/nps/select-nps-recipients.ts';

const scheduledEvent = z.object({ time: z.iso.datetime() });
const RANDOM_RANGE = 2 ** 48;

/** Uniform on [0, 1) from the CSPRNG: who is surveyed should not be predictable. */
const random = () => randomInt(RANDOM_RANGE) / RANDOM_RANGE;

export const handler = async (
  event: Pick<ScheduledEvent, 'time'>,
): Promise<{ candidates: number; queued: number }> => {
  const nowMs = Date.parse(scheduledEvent.parse(event).time);
  const outcome = await selectNpsRecipients({ nowMs, random });
  logger.info('NPS selection ran', {
    enabled: outcome.enabled,
    candidates: outcome.candidates,
    queued: outcome.queued.length,
  });
  return { candidates: outcome.candidates, queued: outcome.queued.length };
};
