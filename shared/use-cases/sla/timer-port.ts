/**
 * Breach timers: one one-time timer per running SLA clock (named `slaTimerName`, delivering
 * `SlaTimerFired` to the SLA timers queue at the breach instant), the ticket's other metrics' timers
 * deleted. A clock whose breach instant has already passed keeps a timer only while its breach is not
 * reported yet (the timer then fires at once and the check reports it); once reported it needs none,
 * which is what stops a breached, still-running clock from firing again on every ticket change.
 */
import { nowMs } from '../../domain/clock.ts';
import {
  SLA_METRICS,
  type SlaMetric,
  type SlaTimerFired,
  type SlaTimerPort,
  slaTimerName,
} from '../../domain/sla/sla-timers.ts';
import { type OneTimeTimers, oneTimeTimersFromEnvironment } from '../../runtime/one-time-timers.ts';
import { unreportedBreaches } from './check-breach-reports.ts';

export interface SlaTimerDependencies {
  timers: OneTimeTimers;
  now: () => number;
  /** Metrics of the ticket whose breach is not reported yet. */
  unreported: (ticketId: number) => Promise<ReadonlySet<SlaMetric>>;
}

export const slaTimerPort = ({ timers, now, unreported }: SlaTimerDependencies): SlaTimerPort => ({
  syncTimers: async (ticketId, running) => {
    const nowEpochMs = now();
    const isPast = (breachAt: string) => Date.parse(breachAt) <= nowEpochMs;
    const owed = running.some((timer) => isPast(timer.breach_at))
      ? await unreported(ticketId)
      : new Set<SlaMetric>();
    const wanted = running.filter((timer) => !isPast(timer.breach_at) || owed.has(timer.metric));
    const wantedMetrics = new Set(wanted.map((timer) => timer.metric));
    await Promise.all([
      ...wanted.map((timer) => {
        const fired: SlaTimerFired = {
          ticket_id: ticketId,
          metric: timer.metric,
          breach_at: timer.breach_at,
        };
        return timers.put(slaTimerName(ticketId, timer.metric), timer.breach_at, fired);
      }),
      ...SLA_METRICS.filter((metric) => !wantedMetrics.has(metric)).map((metric) =>
        timers.delete(slaTimerName(ticketId, metric)),
      ),
    ]);
  },
});

/** The port over EventBridge Scheduler (the local emulator locally), configured from the environment. */
export const timerPortFromEnvironment = (): SlaTimerPort => {
  // Built on first use, so importing a handler needs no timer configuration.
  let timers: OneTimeTimers | undefined;
  return slaTimerPort({
    timers: {
      put: (name, atIso, payload) => {
        timers ??= oneTimeTimersFromEnvironment();
        return timers.put(name, atIso, payload);
      },
      delete: (name) => {
        timers ??= oneTimeTimersFromEnvironment();
        return timers.delete(name);
      },
    },
    now: nowMs,
    unreported: async (ticketId) =>
      new Set((await unreportedBreaches(ticketId)).map((breach) => breach.metric)),
  });
};
