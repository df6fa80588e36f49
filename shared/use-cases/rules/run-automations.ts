/**
 * The hourly automation run (Zendesk's automations), at one instant `now` for the whole run.
 *
 * Primary course:
 * 1. Load the active automations in position order.
 * 2. Plan which tickets they could match (status partitions and update-time ranges, see
 *    automation-candidates.ts) and read those page by page: no scan, and never a closed ticket.
 * 3. On each ticket, run the automations in order, each on the ticket as the previous one left it,
 *    with the clock they measure hours by taken from the ticket's metrics.
 * 4. Each automation that fires writes one audit `via` rule (rel `automation`): its changes, its
 *    comment, its notifications and webhook calls, committed with its once-an-hour claim on the ticket.
 *
 * Alternative courses:
 * - The ticket changed between read and write (an agent edit): reload it and run that automation
 *   again on the new version, so the edit is kept and the conditions see it.
 * - The automation already fired on the ticket this hour (a redelivered or overlapping run): skip it.
 * - The ticket's state forbids the change (solving an unassigned ticket): logged, the ticket is left.
 * - A ticket fails otherwise: logged, the run goes on, and the run reports failure at the end (the
 *   retry is harmless: every write above is idempotent).
 */

import { offeredSatisfaction } from '../../domain/csat/satisfaction.ts';
import { ValidationError } from '../../domain/errors.ts';
import { candidateQueries, mergeCandidateQueries } from '../../domain/rules/automation-candidates.ts';
import { runAutomation } from '../../domain/rules/automation-rules.ts';
import type { RuleContext } from '../../domain/rules/rule-context.ts';
import { SYSTEM_AUTHOR_ID } from '../../domain/system-author.ts';
import { planTicketChange, type TicketChangeInput } from '../../domain/tickets/plan-ticket-write.ts';
import type { Ticket } from '../../domain/tickets/ticket.ts';
import type { TicketMetrics } from '../../domain/tickets/ticket-metrics.ts';
import { logger } from '../../observability/logger.ts';
import { getOrganization } from '../../store/directory/organizations.ts';
import { getUser } from '../../store/directory/users.ts';
import { candidateTicketPages } from '../../store/tickets/automation-candidates.ts';
import { AUTOMATION_FIRED_LABEL, automationFiredClaim } from '../../store/tickets/automation-claims.ts';
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

export interface AutomationFiring {
  ticketId: number;
  automationId: number;
  auditId: number;
}

export interface AutomationRunOutcome {
  /** Tickets read as candidates. */
  candidates: number;
  fired: AutomationFiring[];
  /** Tickets that failed (logged); the others were processed. */
  failed: number[];
}

type FireOutcome =
  | { result: 'fired'; ticket: Ticket; auditId: number }
  | { result: 'not-fired' | 'already-fired' | 'version-conflict' };

export const runAutomations = async ({ now }: { now: string }): Promise<AutomationRunOutcome> => {
  const automations = await activeRules('automation');
  const queries = mergeCandidateQueries(
    automations.flatMap((automation) => candidateQueries(automation.rule, now)),
  );
  // A ticket an automation changed may turn up again later in the run (another partition, or later
  // in update order); it has had its turn.
  const seen = new Set<number>();
  const outcome: AutomationRunOutcome = { candidates: 0, fired: [], failed: [] };
  for (const query of queries) {
    for await (const page of candidateTicketPages(query)) {
      for (const ticket of page) {
        if (seen.has(ticket.id)) continue;
        seen.add(ticket.id);
        try {
          outcome.fired.push(...(await runOnTicket(ticket, automations, now)));
        } catch (error) {
          logger.error('Automations failed on a ticket', { ticketId: ticket.id, error: error as Error });
          outcome.failed.push(ticket.id);
        }
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
    now,
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
    clock: {
      now,
      statusEnteredAt: metrics.status_entered_at,
      created_at: ticket.created_at,
      updated_at: ticket.updated_at,
      assigned_at: metrics.assigned_at,
      requester_updated_at: metrics.requester_updated_at,
      assignee_updated_at: metrics.assignee_updated_at,
    },
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
