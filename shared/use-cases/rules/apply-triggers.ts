/**
 * Runs the trigger cycle after a ticket is created or updated (consumer of ticket.created/updated).
 *
 * Primary course:
 * 1. Load the ticket and the audit the event names; skip a trigger cycle's own audit (it never starts a
 *    cycle; an automation's does), a missing, deleted or closed ticket, and an audit already applied.
 * 2. Gather what the rules see: the ticket now and before this audit, the update type, the audit's
 *    comment, the requester, their organization and the updater.
 * 3. Run the active triggers in position order (restart on fire, each at most once).
 * 4. If any fired, write their net changes, their comment, and the notifications and webhook calls
 *    they asked for (rendered, recipients resolved: see rule-notices.ts) as one audit `via` rule,
 *    attributed to the first trigger that fired and listing all of them, together with a claim on
 *    the source audit. Mail and webhook delivery follow from the committed audit.
 *
 * Alternative courses:
 * - The ticket changed between load and write (an agent edit): reload and rerun, so the edit is kept.
 * - The claim already exists (a redelivery raced us): done.
 * - A trigger threw, or one of its texts failed to render: a `RuleFailure` event on the audit (written
 *   even if nothing fired) and the log; the others still apply, and the message is not retried.
 */
import { offeredSatisfaction } from '../../domain/csat/satisfaction.ts';
import type { User } from '../../domain/directory/user.ts';
import type { RuleContext, RuleTicket } from '../../domain/rules/rule-context.ts';
import { runTriggerCycle, type TriggerCycleResult } from '../../domain/rules/trigger-cycle.ts';
import { planTicketChange } from '../../domain/tickets/plan-ticket-write.ts';
import type { Audit, Ticket } from '../../domain/tickets/ticket.ts';
import { logger } from '../../observability/logger.ts';
import { getOrganization } from '../../store/directory/organizations.ts';
import { getUser } from '../../store/directory/users.ts';
import {
  RULES_APPLIED_LABEL,
  rulesAlreadyApplied,
  rulesAppliedClaim,
} from '../../store/tickets/rule-claims.ts';
import { getTicketMetrics } from '../../store/tickets/ticket-metrics.ts';
import {
  allocateAuditId,
  getAudit,
  getTicket,
  TicketVersionConflict,
  writeTicket,
} from '../../store/tickets/tickets.ts';
import { TransactionConflict } from '../../store/transactions.ts';
import { activeRules } from './active-rules.ts';
import { collaboratorsWithCcs } from './rule-collaborators.ts';
import { loadRulePeople, type NoticeSources, ruleComment, ruleNotices, ruleVia } from './rule-notices.ts';

const MAX_ATTEMPTS = 5;

export interface ApplyTriggersCommand {
  ticketId: number;
  /** The audit whose update the triggers react to. */
  auditId: number;
  now: () => string;
}

export type ApplyTriggersOutcome =
  | { result: 'skipped'; reason: string }
  | { result: 'nothing-fired' }
  | { result: 'applied'; auditId: number; fired: number[] };

export const applyTriggers = async (command: ApplyTriggersCommand): Promise<ApplyTriggersOutcome> => {
  for (let attempt = 1; ; attempt++) {
    const outcome = await runOnce(command);
    if (outcome !== 'version-conflict') return outcome;
    if (attempt >= MAX_ATTEMPTS) throw new Error(`Ticket ${command.ticketId} kept changing; retry later`);
    logger.info('Ticket changed while triggers ran; rerunning on the new version', { ...command, attempt });
  }
};

const runOnce = async (command: ApplyTriggersCommand): Promise<ApplyTriggersOutcome | 'version-conflict'> => {
  const [ticket, source] = await Promise.all([
    getTicket(command.ticketId),
    getAudit(command.ticketId, command.auditId),
  ]);
  if (!source) return { result: 'skipped', reason: 'audit not found' };
  // A trigger cycle's own audit starts none; an automation's does, as in Zendesk.
  if (source.via.channel === 'rule' && source.via.source.rel === 'trigger')
    return { result: 'skipped', reason: 'trigger audit' };
  if (!ticket || ticket.deleted_at !== null) return { result: 'skipped', reason: 'ticket gone' };
  if (ticket.status === 'closed') return { result: 'skipped', reason: 'ticket closed' };
  if (await rulesAlreadyApplied(source.id)) return { result: 'skipped', reason: 'already applied' };

  const cycle = runTriggerCycle(await activeRules('trigger'), await ruleContext(ticket, source));
  logFailures(ticket.id, cycle);
  // A trigger that threw is reported on the ticket even when no other fired.
  const [first = cycle.failures[0]] = cycle.fired;
  if (!first) return { result: 'nothing-fired' };

  const now = command.now();
  const auditId = await allocateAuditId();
  const collaborators = await collaboratorsWithCcs(ticket, cycle.ccs);
  const sourceComment = source.events.find((event) => event.type === 'Comment');
  const sources: NoticeSources = {
    ticket: {
      ...ticket,
      ...cycle.state.ticket,
      collaborator_ids: collaborators ?? ticket.collaborator_ids,
    },
    updaterId: source.author_id,
    comment: sourceComment
      ? {
          id: sourceComment.id,
          body: sourceComment.plain_body,
          public: sourceComment.public,
          author_id: sourceComment.author_id,
        }
      : undefined,
    rel: 'trigger',
  };
  const people = await loadRulePeople(sources);
  const comment = ruleComment(cycle.comments, people, source.author_id);
  const notices = await ruleNotices(cycle.sideEffects, sources, people);
  // A survey offer is stored as the ticket's satisfaction state (a rated ticket stays rated).
  const { satisfaction_score: offered, ...fieldChanges } = cycle.changes;
  if (offered) Object.assign(fieldChanges, { satisfaction: offeredSatisfaction(ticket.satisfaction_rating) });
  const plan = planTicketChange(
    ticket,
    {
      ...fieldChanges,
      ...(collaborators ? { collaborator_ids: collaborators } : {}),
      ...(comment ? { comment } : {}),
      notices: [
        ...cycle.failures.map((failure) => ({
          type: 'RuleFailure' as const,
          message: failure.message,
          via: ruleVia(failure, 'trigger'),
        })),
        ...notices,
      ],
    },
    {
      auditId,
      now,
      // The updater whose change set the cycle off; the audit's `via` names the triggers.
      actorId: source.author_id,
      via: ruleVia(first, 'trigger'),
      metadata: {
        triggers: cycle.fired,
        source_audit_id: source.id,
      },
    },
  );
  if (!plan) return { result: 'nothing-fired' };
  try {
    await writeTicket({
      ...plan,
      expectedVersion: ticket.version,
      alsoWrite: [rulesAppliedClaim(source.id, auditId, now)],
    });
  } catch (error) {
    if (error instanceof TicketVersionConflict) return 'version-conflict';
    if (error instanceof TransactionConflict && error.labels.includes(RULES_APPLIED_LABEL))
      return { result: 'skipped', reason: 'already applied' };
    throw error;
  }
  return { result: 'applied', auditId, fired: cycle.fired.map((rule) => rule.id) };
};

const ruleContext = async (ticket: Ticket, source: Audit): Promise<RuleContext> => {
  const created = source.events.some((event) => event.type === 'Create');
  const [requester, updater, reopens] = await Promise.all([
    getUser(ticket.requester_id),
    getUser(source.author_id),
    reopensAfter(source),
  ]);
  const organizationId = ticket.organization_id ?? requester?.organization_id ?? null;
  const organization = organizationId === null ? undefined : await getOrganization(organizationId);
  const comment = source.events.find((event) => event.type === 'Comment');
  return {
    ticket,
    previous: created ? undefined : ticketBefore(ticket, source),
    updateType: created ? 'Create' : 'Change',
    updateVia: source.via.channel,
    comment: comment ? { body: comment.plain_body, public: comment.public } : undefined,
    requester: requester ? ruleUser(requester) : undefined,
    organization: organization
      ? { id: organization.id, organization_fields: organization.organization_fields }
      : undefined,
    currentUser: updater ? { id: updater.id, role: updater.role } : undefined,
    reopens,
  };
};

/**
 * Reopens counting this audit. The metrics consumer counts them from the history, but it may not
 * have seen this audit yet (both consumers react to the same event), so a reopen here is added then.
 */
const reopensAfter = async (source: Audit): Promise<number> => {
  const metrics = await getTicketMetrics(source.ticket_id);
  const counted = metrics?.reopens ?? 0;
  if (metrics && metrics.computed_from_audit_id >= source.id) return counted;
  const reopened = source.events.some(
    (event) =>
      event.type === 'Change' &&
      event.field_name === 'status' &&
      event.previous_value === 'solved' &&
      event.value !== 'closed',
  );
  return counted + (reopened ? 1 : 0);
};

const ruleUser = (user: User) => ({ id: user.id, role: user.role, user_fields: user.user_fields });

/** The ticket with this audit's changes undone: what "changed" and "changed from" compare against. */
const ticketBefore = (ticket: Ticket, audit: Audit): RuleTicket => {
  const before: Record<string, unknown> = { ...ticket, custom_fields: [...ticket.custom_fields] };
  for (const event of audit.events) {
    if (event.type !== 'Change') continue;
    const customFieldId = /^\d+$/.test(event.field_name) ? Number(event.field_name) : undefined;
    if (customFieldId === undefined) {
      before[event.field_name] = event.previous_value;
      continue;
    }
    before.custom_fields = [
      ...(before.custom_fields as Ticket['custom_fields']).filter((field) => field.id !== customFieldId),
      { id: customFieldId, value: event.previous_value },
    ].sort((a, b) => a.id - b.id);
  }
  return before as unknown as RuleTicket;
};

const logFailures = (ticketId: number, cycle: TriggerCycleResult) => {
  for (const failure of cycle.failures) logger.error('Trigger failed', { ticketId, ...failure });
};
