/**
 * What happens when an SLA timer fires (consumer of the SLA timers queue). The timer only names what
 * to re-check; the ticket's clocks decide.
 *
 * Primary course:
 * 1. Recompute the ticket's clocks now (refreshTicketSlas: stores the `breach` metric event, once),
 *    holding back its timer sync until the breaches are reported.
 * 2. The breached metric instances without a report claim are the new breaches. A breach means the
 *    clock was still running when its target passed, so a stale timer (the metric fulfilled, paused
 *    or re-targeted since) finds none.
 * 3. Write one audit `via` system: a `SlaBreach` event per new breach (published as `sla.breached`)
 *    and `sla_breached` set (a Change, so the trigger cycle runs), with a report claim per breach in
 *    the same transaction.
 * 4. Count each breach in the SlaBreaches metric, then sync the timers (reported breaches need none).
 *
 * Alternative courses:
 * - The ticket is gone, deleted or closed: nothing to report; the timers are still synced.
 * - The ticket changed between read and write: reread and retry.
 * - A claim already exists (a redelivery raced us): those breaches were reported; retry for the rest.
 */
import type { SlaMetricState } from '../../domain/sla/sla-clocks.ts';
import type { SlaTimer, SlaTimerFired, SlaTimerPort } from '../../domain/sla/sla-timers.ts';
import { SYSTEM_AUTHOR_ID } from '../../domain/system-author.ts';
import { planTicketChange } from '../../domain/tickets/plan-ticket-write.ts';
import type { Via } from '../../domain/tickets/ticket.ts';
import { logger } from '../../observability/logger.ts';
import { countSlaBreach } from '../../observability/sla-metrics.ts';
import { BREACH_REPORTED_LABEL, breachReportClaim } from '../../store/sla/breach-reports.ts';
import {
  allocateAuditId,
  getTicket,
  TicketVersionConflict,
  writeTicket,
} from '../../store/tickets/tickets.ts';
import { TransactionConflict } from '../../store/transactions.ts';
import { unreportedBreaches } from './check-breach-reports.ts';
import { refreshTicketSlas } from './refresh-ticket-slas.ts';

const MAX_ATTEMPTS = 5;

export interface CheckBreachDependencies {
  timers: SlaTimerPort;
  now: () => string;
}

export type CheckBreachOutcome =
  | { result: 'nothing-to-report'; reason: string }
  | { result: 'reported'; auditId: number; breaches: SlaMetricState[] };

const slaVia = (): Via => ({ channel: 'system', source: { from: {}, to: {}, rel: 'sla_breach' } });

export const checkSlaBreach = async (
  fired: SlaTimerFired,
  dependencies: CheckBreachDependencies,
): Promise<CheckBreachOutcome> => {
  const ticketId = fired.ticket_id;
  let running: readonly SlaTimer[] | undefined;
  await refreshTicketSlas(ticketId, {
    now: dependencies.now,
    timers: {
      syncTimers: async (_ticketId, timers) => {
        running = timers;
      },
    },
  });
  const outcome = await reportNewBreaches(ticketId, dependencies.now);
  // Undefined when a newer computation was already stored: its own sync covers the timers.
  if (running) await dependencies.timers.syncTimers(ticketId, running);
  return outcome;
};

const reportNewBreaches = async (ticketId: number, now: () => string): Promise<CheckBreachOutcome> => {
  for (let attempt = 1; ; attempt++) {
    const outcome = await reportOnce(ticketId, now());
    if (outcome !== 'conflict') return outcome;
    if (attempt >= MAX_ATTEMPTS) throw new Error(`Ticket ${ticketId} kept changing; retry later`);
    logger.info('Ticket changed while its breaches were reported; retrying', { ticketId, attempt });
  }
};

const reportOnce = async (ticketId: number, now: string): Promise<CheckBreachOutcome | 'conflict'> => {
  const [ticket, breaches] = await Promise.all([getTicket(ticketId), unreportedBreaches(ticketId)]);
  if (!ticket || ticket.deleted_at !== null || ticket.status === 'closed') {
    return { result: 'nothing-to-report', reason: 'ticket gone or closed' };
  }
  if (breaches.length === 0) return { result: 'nothing-to-report', reason: 'no new breach' };

  const auditId = await allocateAuditId();
  const plan = planTicketChange(
    ticket,
    {
      slaBreaches: breaches.map((breach) => ({
        type: 'SlaBreach' as const,
        metric: breach.metric,
        instance_id: breach.instance_id,
        // A breached clock's state keeps its breach instant only while it runs; else it breached at
        // the latest by now.
        breach_at: breach.breach_at ?? now,
        priority: ticket.priority,
      })),
    },
    { auditId, now, actorId: SYSTEM_AUTHOR_ID, via: slaVia() },
  );
  if (!plan) return { result: 'nothing-to-report', reason: 'no new breach' };
  try {
    await writeTicket({
      ...plan,
      expectedVersion: ticket.version,
      alsoWrite: breaches.map((breach) => breachReportClaim(ticketId, breach, auditId, now)),
    });
  } catch (error) {
    if (error instanceof TicketVersionConflict) return 'conflict';
    if (error instanceof TransactionConflict && error.labels.includes(BREACH_REPORTED_LABEL))
      return 'conflict';
    throw error;
  }
  for (const breach of breaches) countSlaBreach({ metric: breach.metric, priority: ticket.priority });
  return { result: 'reported', auditId, breaches };
};
