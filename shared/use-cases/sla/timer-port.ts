/**
 * Which SlaTimerPort this process uses. Breach timers (EventBridge Scheduler in AWS, the local
 * runtime's scheduler locally) are not built yet: until they are, this is the one place that stands
 * in for them, and it only logs the timers the SLA clocks ask for. Breaches are still recorded as
 * metric events whenever the ticket's state is recomputed at or after the breach instant.
 */
import type { SlaTimerPort } from '../../domain/sla/sla-timers.ts';
import { logger } from '../../observability/logger.ts';

const loggingTimerPort: SlaTimerPort = {
  syncTimers: async (ticketId, running) => {
    logger.info('SLA timers requested (no timer port yet)', { ticketId, running });
  },
};

export const timerPortFromEnvironment = (): SlaTimerPort => loggingTimerPort;
