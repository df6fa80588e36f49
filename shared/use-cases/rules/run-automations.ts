/**
 * Zendesk's automations: an hourly run over the tickets they may match, evaluated at one instant.
 *
 * Primary course (`advanceAutomationRun`, each tick of the job):
 * 1. Read where the run stands. A run that is finished, in an earlier clock hour than now: plan a new
 *    one at now (the candidate queries for the active automations: status partitions and update-time
 *    ranges, see automation-candidates.ts; no scan, never a closed ticket). Finished this hour: done.
 * 2. Take the run's lease, so no other invocation works on it at the same time.
 * 3. Read the candidates page by page from where the run stands, checkpointing after each page, until
 *    they end or the invocation runs short of time; give the lease back with the position, so the next
 *    tick goes on from there. A backlog larger than one invocation thus spreads over several.
 * 4. On each ticket, run the automations in order, each on the ticket as the previous one left it,
 *    with the clock they measure hours by taken from the ticket's metrics and the run's instant.
 * 5. Each automation that fires writes one audit `via` rule (rel `automation`): its changes, its
 *    comment, its notifications and webhook calls, committed with its once-an-hour claim on the ticket.
 *
 * Alternative courses:
 * - Another invocation holds the lease, or started this hour's run first: nothing to do.
 * - The ticket changed between read and write (an agent edit): reload it and run that automation
 *   again on the new version, so the edit is kept and the conditions see it.
 * - The automation already fired on the ticket this hour (a redelivered or overlapping run): skip it.
 * - The ticket's state forbids the change (solving an unassigned ticket): logged, the ticket is left.
 * - A ticket fails otherwise: logged, the run goes on, and the tick reports failure at the end (the
 *   next hour's run tries the ticket again; every write above is idempotent).
 */

import { randomUUID } from 'node:crypto';
import { toTimestamp } from '../../domain/clock.ts';
import { offeredSatisfaction } from '../../domain/csat/satisfaction.ts';
import { ValidationError } from '../../domain/errors.ts';
import { candidateQueries, mergeCandidateQueries } from '../../domain/rules/automation-candidates.ts';
import { runAutomation } from '../../domain/rules/automation-rules.ts';
import type { RuleContext } from '../../domain/rules/rule-context.ts';
import { ticketClock } from '../../domain/rules/ticket-clock.ts';
import { SYSTEM_AUTHOR_ID } from '../../domain/system-author.ts';
import { planTicketChange, type TicketChangeInput } from '../../domain/tickets/plan-ticket-write.ts';
import type { Ticket } from '../../domain/tickets/ticket.ts';
import type { TicketMetrics } from '../../domain/tickets/ticket-metrics.ts';
import { logger } from '../../observability/logger.ts';
import { getOrganization } from '../../store/directory/organizations.ts';
import { getUser } from '../../store/directory/users.ts';
import { candidateTicketPages } from '../../store/tickets/automation-candidates.ts';
import { AUTOMATION_FIRED_LABEL, automationFiredClaim } from '../../store/tickets/automation-claims.ts';
import {
  type AutomationRun,
  type AutomationRunPosition,
  getAutomationRun,
  isFinished,
  leaseAutomationRun,
  saveAutomationRunPosition,
} from '../../store/tickets/automation-run-state.ts';
import { getTicketMetrics } from '../../store/tickets/ticket-metrics.ts';
import {
  allocateAuditId,
  getTicket,
  TicketVersionConflict,
  writeTicket,
} from '../../store/tickets/tickets.ts';
import { TransactionConflict } from '../../store/transactions.ts';

import { refreshTicketMetrics } from '../tickets/refresh-ticket-metrics.ts';
import { type ActiveRule, activeRules } from './active-rules.ts';
import { collaboratorsWithCcs } from './rule-collaborators.ts';
import { loadRulePeople, type NoticeSources, ruleComment, ruleNotices, ruleVia } from './rule-notices.ts';

const MAX_ATTEMPTS = 5;
/** Longer than the job's 300 s timeout: a lease outlives its holder only when the holder crashed. */
const LEASE_MS = 6 * 60_000;
const HOUR_MS = 3_600_000;

export interface AutomationFiring {
  ticketId: number;
  automationId: number;
  auditId: number;
}

export interface AutomationPassOutcome {
  /** Tickets read as candidates. */
  candidates: number;
  fired: AutomationFiring[];
  /** Tickets that failed (logged); the others were processed. */
  failed: number[];
  /** Where the run goes on; undefined once it is finished. */
  next?: AutomationRunPosition;
}

export type AutomationTick =
  | { result: 'worked'; runAt: string; outcome: AutomationPassOutcome }
  | { result: 'up-to-date' | 'busy' };

type FireOutcome =
  | { result: 'fired'; ticket: Ticket; auditId: number }
  | { result: 'not-fired' | 'already-fired' | 'version-conflict' };

const clockHour = (timestamp: string) => Math.floor(Date.parse(timestamp) / HOUR_MS);

/** A new run at `now`: the candidate queries of the active automations. */
export const planAutomationRun = (automations: readonly ActiveRule[], now: string): AutomationRun => ({
  run_at: now,
  queries: mergeCandidateQueries(automations.flatMap((automation) => candidateQueries(automation.rule, now))),
  query: 0,
});

/** One tick of the job (see the primary course above); `shouldStop` is asked after each page. */
export const advanceAutomationRun = async ({
  now,
  shouldStop,
}: {
  now: string;
  shouldStop: () => boolean;
}): Promise<AutomationTick> => {
  const stored = await getAutomationRun();
  if (stored && isFinished(stored) && clockHour(stored.run_at) >= clockHour(now)) {
    return { result: 'up-to-date' };
  }
  // An unfinished run goes on first, even from an earlier hour: its tickets have not had their turn.
  const automations = await activeRules('automation');
  const run = stored && !isFinished(stored) ? stored : planAutomationRun(automations, now);
  const startsNew = run !== stored;
  const lease = { token: randomUUID(), now, until: toTimestamp(new Date(Date.parse(now) + LEASE_MS)) };
  if (!(await leaseAutomationRun(lease, stored, startsNew ? run : undefined))) return { result: 'busy' };

  const save = (position: AutomationRunPosition, release: boolean) =>
    saveAutomationRunPosition(lease.token, position, { release });
  const outcome = await runAutomationPass({
    run,
    automations,
    shouldStop,
    onPage: (position) => save(position, false),
  });
  await save(outcome.next ?? { query: run.queries.length }, true);
  return { result: 'worked', runAt: run.run_at, outcome };
};

/**
 * Works through a run's candidates from its position until they end or `shouldStop` (asked after
 * each page) says to stop; `onPage` hears the position after each page.
 */
export const runAutomationPass = async ({
  run,
  automations,
  shouldStop = () => false,
  onPage,
}: {
  run: AutomationRun;
  /** The active automations, in order (a continued run uses those active now). */
  automations: readonly ActiveRule[];
  shouldStop?: () => boolean;
  onPage?: (position: AutomationRunPosition) => Promise<void>;
}): Promise<AutomationPassOutcome> => {
  // A ticket an automation changed may turn up again later in the pass (another partition, or later
  // in update order); it has had its turn.
  const seen = new Set<number>();
  const outcome: AutomationPassOutcome = { candidates: 0, fired: [], failed: [] };
  for (let index = run.query; index < run.queries.length; index++) {
    const query = run.queries[index] as (typeof run.queries)[number];
    const startKey = index === run.query ? run.cursor : undefined;
    for await (const page of candidateTicketPages(query, startKey ? { startKey } : {})) {
      for (const ticket of page.tickets) {
        if (seen.has(ticket.id)) continue;
        seen.add(ticket.id);
        try {
          outcome.fired.push(...(await runOnTicket(ticket, automations, run.run_at)));
        } catch (error) {
          logger.error('Automations failed on a ticket', { ticketId: ticket.id, error: error as Error });
          outcome.failed.push(ticket.id);
        }
      }
      const position = page.next ? { query: index, cursor: page.next } : { query: index + 1 };
      await onPage?.(position);
      if (position.query < run.queries.length && shouldStop()) {
        outcome.candidates = seen.size;
        return { ...outcome, next: position };
      }
    }
  }
  outcome.candidates = seen.size;
  return outcome;
};

const runOnTicket = async (
  candidate: Ticket,
  automations: readonly ActiveRule[],
  now: string,
): Promise<AutomationFiring[]> => {
  const firings: AutomationFiring[] = [];
  let ticket: Ticket | undefined = candidate;
  for (const automation of automations) {
    for (let attempt = 1; ; attempt++) {
      if (!ticket || ticket.deleted_at !== null || ticket.status === 'closed') return firings;
      const outcome = await fireAutomation(automation, ticket, now);
      if (outcome.result === 'fired') {
        firings.push({ ticketId: ticket.id, automationId: automation.id, auditId: outcome.auditId });
        ticket = outcome.ticket;
      }
      if (outcome.result !== 'version-conflict') break;
      if (attempt >= MAX_ATTEMPTS) throw new Error(`Ticket ${ticket.id} kept changing; retry later`);
      ticket = await getTicket(ticket.id);
    }
  }
  return firings;
};

const fireAutomation = async (automation: ActiveRule, ticket: Ticket, now: string): Promise<FireOutcome> => {
  const run = runAutomation(automation.rule, await automationContext(ticket, now));
  if (!run) return { result: 'not-fired' };
  const rule = { id: automation.id, title: automation.title };
  // A survey offer is stored as the ticket's satisfaction state (a rated ticket stays rated).
  const { satisfaction_score: offered, ...fieldChanges } = run.changes;
  if (offered) Object.assign(fieldChanges, { satisfaction: offeredSatisfaction(ticket.satisfaction_rating) });
  const collaborators = await collaboratorsWithCcs(ticket, run.ccs);
  const changes: TicketChangeInput = {
    ...fieldChanges,
    ...(collaborators ? { collaborator_ids: collaborators } : {}),
  };
  const context = {
    auditId: await allocateAuditId(),
    // Conditions are measured at the run's instant, but a run goes on for minutes: an agent may have
    // edited the ticket since, and its updated_at must never move back (both are UTC to the second).
    now: ticket.updated_at > now ? ticket.updated_at : now,
    actorId: SYSTEM_AUTHOR_ID,
    via: ruleVia(rule, 'automation'),
    metadata: { automation: rule },
  };
  try {
    // Texts render with the ticket as the automation leaves it: plan the field changes alone first.
    const sources: NoticeSources = {
      ticket: planTicketChange(ticket, changes, context)?.ticket ?? ticket,
      rel: 'automation',
    };
    const people = await loadRulePeople(sources);
    const comment = ruleComment(run.comments, people, SYSTEM_AUTHOR_ID);
    const notices = await ruleNotices(
      run.sideEffects.map((effect) => ({ rule, effect })),
      sources,
      people,
    );
    const plan = planTicketChange(ticket, { ...changes, ...(comment ? { comment } : {}), notices }, context);
    if (!plan) return { result: 'not-fired' };
    await writeTicket({
      ...plan,
      expectedVersion: ticket.version,
      alsoWrite: [automationFiredClaim(ticket.id, automation.id, context.auditId, now)],
    });
    return { result: 'fired', ticket: plan.ticket, auditId: context.auditId };
  } catch (error) {
    if (error instanceof TicketVersionConflict) return { result: 'version-conflict' };
    if (error instanceof TransactionConflict && error.labels.includes(AUTOMATION_FIRED_LABEL))
      return { result: 'already-fired' };
    if (error instanceof ValidationError) {
      logger.info('Automation cannot change this ticket; skipped', {
        ticketId: ticket.id,
        automationId: automation.id,
        details: error.message,
      });
      return { result: 'not-fired' };
    }
    throw error;
  }
};

const automationContext = async (ticket: Ticket, now: string): Promise<RuleContext> => {
  const [metrics, requester] = await Promise.all([currentMetrics(ticket), getUser(ticket.requester_id)]);
  const organizationId = ticket.organization_id ?? requester?.organization_id ?? null;
  const organization = organizationId === null ? undefined : await getOrganization(organizationId);
  return {
    ticket,
    requester: requester
      ? { id: requester.id, role: requester.role, user_fields: requester.user_fields }
      : undefined,
    organization: organization
      ? { id: organization.id, organization_fields: organization.organization_fields }
      : undefined,
    reopens: metrics.reopens,
    clock: ticketClock(ticket, metrics, now),
  };
};

/**
 * The ticket's metrics as of its latest update. The metrics consumer reacts to the same events as
 * everything else and may not have caught up (nor after an automation's own write, moments ago); a
 * record older than the ticket would measure hours from stale instants, so it is recomputed first.
 */
const currentMetrics = async (ticket: Ticket): Promise<TicketMetrics> => {
  const stored = await getTicketMetrics(ticket.id);
  if (stored?.updated_at === ticket.updated_at && stored.status_entered_at) return stored;
  await refreshTicketMetrics(ticket.id);
  const refreshed = await getTicketMetrics(ticket.id);
  if (!refreshed) throw new Error(`Ticket ${ticket.id} has no metrics after recomputing them`);
  return refreshed;
};
