/**
 * Runs the trigger cycle after a ticket is created or updated (consumer of ticket.created/updated).
 *
 * Primary course:
 * 1. Load the ticket and the audit the event names; skip a rule's own audit (it never starts a cycle),
 *    a missing, deleted or closed ticket, and an audit whose cycle was already applied.
 * 2. Gather what the rules see: the ticket now and before this audit, the update type, the audit's
 *    comment, the requester, their organization and the updater.
 * 3. Run the active triggers in position order (restart on fire, each at most once).
 * 4. If any fired, write their net changes and first comment as one audit `via` rule, attributed to
 *    the first trigger that fired and listing all of them, together with a claim on the source audit.
 *
 * Alternative courses:
 * - The ticket changed between load and write (an agent edit): reload and rerun, so the edit is kept.
 * - The claim already exists (a redelivery raced us): done.
 * - Notification and webhook actions are evaluated but not delivered yet; they are logged and skipped.
 */
import type { User } from '../../domain/directory/user.ts';
import type { RuleSideEffect } from '../../domain/rules/actions.ts';
import { compileRule } from '../../domain/rules/compile-rule.ts';
import type { RuleContext, RuleTicket } from '../../domain/rules/rule-context.ts';
import { renderRuleText } from '../../domain/rules/rule-text.ts';
import {
  type ActiveTrigger,
  runTriggerCycle,
  type TriggerCycleResult,
} from '../../domain/rules/trigger-cycle.ts';
import { type CommentInput, planTicketChange } from '../../domain/tickets/plan-ticket-write.ts';
import type { Audit, Ticket, Via } from '../../domain/tickets/ticket.ts';
import { logger } from '../../observability/logger.ts';
import { getOrganization } from '../../store/directory/organizations.ts';
import { findUserByEmail, getUser } from '../../store/directory/users.ts';
import { listAllRules } from '../../store/rules.ts';
import {
  RULES_APPLIED_LABEL,
  rulesAlreadyApplied,
  rulesAppliedClaim,
} from '../../store/tickets/rule-claims.ts';
import {
  allocateAuditId,
  getAudit,
  getTicket,
  TicketVersionConflict,
  writeTicket,
} from '../../store/tickets/tickets.ts';
import { TransactionConflict } from '../../store/transactions.ts';

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
  if (source.via.channel === 'rule') return { result: 'skipped', reason: 'rule audit' };
  if (!ticket || ticket.deleted_at !== null) return { result: 'skipped', reason: 'ticket gone' };
  if (ticket.status === 'closed') return { result: 'skipped', reason: 'ticket closed' };
  if (await rulesAlreadyApplied(source.id)) return { result: 'skipped', reason: 'already applied' };

  const cycle = runTriggerCycle(await activeTriggers(), await ruleContext(ticket, source));
  logFailures(ticket.id, cycle);
  const [first] = cycle.fired;
  if (!first) return { result: 'nothing-fired' };
  logSkippedSideEffects(ticket.id, cycle.sideEffects);

  const now = command.now();
  const auditId = await allocateAuditId();
  const comment = firstComment(cycle, source.author_id);
  const collaborators = await collaboratorIds(ticket, cycle.ccs);
  const via: Via = {
    channel: 'rule',
    source: { from: { id: first.id, title: first.title }, to: {}, rel: 'trigger' },
  };
  // The ticket record holds no satisfaction rating yet, so offering one is evaluated but not stored.
  const { satisfaction_score: offered, ...fieldChanges } = cycle.changes;
  if (offered) logger.info('Trigger satisfaction offer is not stored yet; skipped', { ticketId: ticket.id });
  const plan = planTicketChange(
    ticket,
    {
      ...fieldChanges,
      ...(collaborators ? { collaborator_ids: collaborators } : {}),
      ...(comment ? { comment } : {}),
    },
    {
      auditId,
      now,
      // The updater whose change set the cycle off; the audit's `via` names the triggers.
      actorId: source.author_id,
      via,
      metadata: {
        triggers: cycle.fired,
        ...(cycle.failures.length ? { trigger_failures: cycle.failures } : {}),
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

/** Stored triggers always compiled at save time; one that no longer does is logged, not run. */
const activeTriggers = async (): Promise<ActiveTrigger[]> =>
  (await listAllRules('trigger'))
    .filter((rule) => rule.active)
    .flatMap((rule) => {
      const compiled = compileRule({ conditions: rule.conditions, actions: rule.actions }, 'trigger');
      if (compiled.ok)
        return [{ id: rule.id, title: rule.title, position: rule.position, rule: compiled.rule }];
      logger.error('Stored trigger does not compile', { triggerId: rule.id, problems: compiled.problems });
      return [];
    });

const ruleContext = async (ticket: Ticket, source: Audit): Promise<RuleContext> => {
  const created = source.events.some((event) => event.type === 'Create');
  const [requester, updater] = await Promise.all([getUser(ticket.requester_id), getUser(source.author_id)]);
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
  };
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

/**
 * The first comment a trigger added, rendered with the ticket as the cycle left it. Only the first:
 * an audit carries one comment, and further ones would need audits of their own (logged instead).
 */
const firstComment = (cycle: TriggerCycleResult, authorId: number): CommentInput | undefined => {
  const [first, ...rest] = cycle.comments;
  if (rest.length) logger.info('Only the first trigger comment is added', { skipped: rest.length });
  if (!first) return undefined;
  const data = { ticket: ticketTemplateData(cycle.state.ticket) };
  const body = first.body !== undefined ? renderRuleText(first.body, data) : undefined;
  const htmlBody =
    first.html_body !== undefined ? renderRuleText(first.html_body, data, { html: true }) : undefined;
  if (!body?.trim() && !htmlBody?.trim()) return undefined;
  return {
    ...(body !== undefined ? { body } : {}),
    ...(htmlBody !== undefined ? { html_body: htmlBody } : {}),
    public: first.public,
    author_id: authorId,
    authorIsEndUser: false,
  };
};

const ticketTemplateData = (ticket: RuleTicket) => ({
  id: ticket.id,
  title: ticket.subject ?? '',
  status: ticket.status,
  priority: ticket.priority ?? '',
  ticket_type: ticket.type ?? '',
  tags: ticket.tags.join(' '),
});

/** CC actions add users by id or by the email of a known user; unknown emails are logged and skipped. */
const collaboratorIds = async (
  ticket: Ticket,
  ccs: ReadonlyArray<number | string>,
): Promise<number[] | undefined> => {
  if (!ccs.length) return undefined;
  const ids = await Promise.all(
    ccs.map(async (cc) => {
      if (typeof cc === 'number') return cc;
      const user = await findUserByEmail(cc);
      if (!user) logger.info('Trigger CC names no known user; skipped', { ticketId: ticket.id });
      return user?.id;
    }),
  );
  const added = ids.filter((id): id is number => id !== undefined && !ticket.collaborator_ids.includes(id));
  return added.length ? [...ticket.collaborator_ids, ...added] : undefined;
};

const logFailures = (ticketId: number, cycle: TriggerCycleResult) => {
  for (const failure of cycle.failures) logger.error('Trigger failed', { ticketId, ...failure });
};

const logSkippedSideEffects = (ticketId: number, sideEffects: readonly RuleSideEffect[]) => {
  if (!sideEffects.length) return;
  logger.info('Trigger notifications and webhooks are not delivered yet; skipped', {
    ticketId,
    skipped: sideEffects.map((effect) => effect.type),
  });
};
