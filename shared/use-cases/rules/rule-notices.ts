/**
 * Turns what rules asked for (comments, notifications, webhook calls) into what their audit records:
 * recipients resolved to users and texts rendered with the ticket as the rules left it. Triggers and
 * automations both write these into their audit; the publisher turns the committed events into
 * `notification.requested` / `webhook.requested`, so nothing is sent for a change that did not commit.
 *
 * Rendering here rather than at delivery keeps what the audit shows identical to what was sent.
 */
import { isStaff, type User } from '../../domain/directory/user.ts';
import type { NotificationRecipient, RuleCommentToAdd, RuleSideEffect } from '../../domain/rules/actions.ts';
import type { RuleTicket } from '../../domain/rules/rule-context.ts';
import { renderRuleText } from '../../domain/rules/rule-text.ts';
import { ruleTemplateData, type TemplateSources } from '../../domain/rules/template-data.ts';
import type { FiredRule } from '../../domain/rules/trigger-cycle.ts';
import type { CommentInput, RuleNoticeInput } from '../../domain/tickets/plan-ticket-write.ts';
import type { Via } from '../../domain/tickets/ticket.ts';
import { logger } from '../../observability/logger.ts';
import { allMemberships } from '../../store/directory/group-memberships.ts';
import { getGroup } from '../../store/directory/groups.ts';
import { getOrganization } from '../../store/directory/organizations.ts';
import { getUsers } from '../../store/directory/users.ts';
import { queryAllOfKind } from '../../store/pagination.ts';
import { physicalTableName } from '../../store/tables.ts';

export interface NoticeSources {
  /** The ticket after the rules' changes. */
  ticket: RuleTicket & { description?: string; email_cc_ids?: number[] };
  /** Who made the update the rules react to; absent for automations. */
  updaterId?: number | undefined;
  /** The comment made in that update. */
  comment?: { id: number; body: string; public: boolean; author_id: number } | undefined;
  rel: 'trigger' | 'automation';
}

export interface AttributedEffect {
  rule: FiredRule;
  effect: RuleSideEffect;
}

export const ruleVia = (rule: FiredRule, rel: NoticeSources['rel']): Via => ({
  channel: 'rule',
  source: { from: { id: rule.id, title: rule.title }, to: {}, rel },
});

/**
 * One audit event per notification or webhook call. A text that fails to render (a Liquid limit hit
 * at run time) becomes a `RuleFailure` event instead: reported on the ticket, never a retry loop.
 */
export const ruleNotices = async (
  effects: readonly AttributedEffect[],
  sources: NoticeSources,
  people: RulePeople,
): Promise<RuleNoticeInput[]> => {
  const notices: RuleNoticeInput[] = [];
  for (const { rule, effect } of effects) {
    const via = ruleVia(rule, sources.rel);
    try {
      const notice = await noticeOf(effect, via, sources, people);
      if (notice) notices.push(notice);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error('Rule text failed to render', { ticketId: sources.ticket.id, ruleId: rule.id, message });
      notices.push({ type: 'RuleFailure', message: `${effect.type}: ${message}`, via });
    }
  }
  return notices;
};

const noticeOf = async (
  effect: RuleSideEffect,
  via: Via,
  sources: NoticeSources,
  people: RulePeople,
): Promise<RuleNoticeInput | undefined> => {
  if (effect.type === 'notification_webhook') {
    const data = ruleTemplateData(people.templateSources(false));
    return {
      type: 'External',
      resource: effect.webhook_id,
      body: renderRuleText(effect.body, data, 'json'),
      via,
    };
  }
  const recipients = await recipientsOf(effect, sources);
  if (!recipients.length) return undefined;
  // Unverified requesters get no echo of what they (or someone using their address) wrote.
  const hideText = recipients.includes(sources.ticket.requester_id) && !people.requesterVerified;
  const data = ruleTemplateData(people.templateSources(hideText));
  const carriesComment =
    effect.type === 'notification_user' &&
    effect.recipient === 'requester_and_ccs' &&
    sources.comment?.public === true;
  return {
    type: 'Notification',
    subject: renderRuleText(effect.subject, data),
    body: renderRuleText(effect.body, data),
    recipients,
    via,
    ...(carriesComment && sources.comment ? { comment_id: sources.comment.id } : {}),
  };
};

/**
 * The comment rules add, rendered. An audit carries one comment, so comments like the first one
 * (same visibility, same plain or HTML form) are joined into it; any other would need an audit of
 * its own and is logged instead. Public text follows the same unverified-requester rule as mail.
 */
export const ruleComment = (
  comments: readonly RuleCommentToAdd[],
  people: RulePeople,
  authorId: number,
): CommentInput | undefined => {
  const [first] = comments;
  if (!first) return undefined;
  const html = first.html_body !== undefined;
  const alike = comments.filter(
    (comment) => comment.public === first.public && (comment.html_body !== undefined) === html,
  );
  if (alike.length < comments.length)
    logger.info('Rule comments unlike the first are not added', { skipped: comments.length - alike.length });
  const data = ruleTemplateData(people.templateSources(first.public && !people.requesterVerified));
  let text: string;
  try {
    text = alike
      .map((comment) =>
        renderRuleText((html ? comment.html_body : comment.body) ?? '', data, html ? 'html' : 'none'),
      )
      .filter((rendered) => rendered.trim() !== '')
      .join(html ? '\n' : '\n\n');
  } catch (error) {
    // Comments carry no rule of their own to blame; the notices and field changes still go ahead.
    logger.error('Rule comment failed to render', {
      message: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
  if (!text) return undefined;
  return {
    ...(html ? { html_body: text } : { body: text }),
    public: first.public,
    author_id: authorId,
    authorIsEndUser: false,
  };
};

export type RulePeople = Awaited<ReturnType<typeof loadRulePeople>>;

/** The people and names placeholders refer to, loaded once per cycle. */
export const loadRulePeople = async (sources: NoticeSources) => {
  const { ticket } = sources;
  const ids = [ticket.requester_id, ticket.assignee_id, sources.updaterId, sources.comment?.author_id].filter(
    (id): id is number => typeof id === 'number',
  );
  const [users, group, organization] = await Promise.all([
    getUsers(ids),
    ticket.group_id === null ? undefined : getGroup(ticket.group_id),
    ticket.organization_id === null ? undefined : getOrganization(ticket.organization_id),
  ]);
  const byId = new Map<number, User>(users.map((user) => [user.id, user]));
  const requester = byId.get(ticket.requester_id);
  const commentAuthor = sources.comment && byId.get(sources.comment.author_id);
  return {
    requesterVerified: requester?.verified === true,
    templateSources: (withoutRequesterText: boolean): TemplateSources => ({
      ticket,
      requester,
      assignee: ticket.assignee_id === null ? undefined : byId.get(ticket.assignee_id),
      currentUser: sources.updaterId === undefined ? undefined : byId.get(sources.updaterId),
      groupName: group?.name,
      organizationName: organization?.name,
      latestComment: sources.comment && {
        ...sources.comment,
        byStaff: commentAuthor !== undefined && isStaff(commentAuthor),
      },
      withoutRequesterText,
    }),
  };
};

const recipientsOf = async (
  effect: Extract<RuleSideEffect, { type: 'notification_user' | 'notification_group' }>,
  sources: NoticeSources,
): Promise<number[]> => {
  const ids =
    effect.type === 'notification_user'
      ? await userRecipients(effect.recipient, sources)
      : effect.group === 'all'
        ? await allAgentIds()
        : await groupMemberIds(effect.group === 'group_id' ? sources.ticket.group_id : effect.group);
  return [...new Set(ids)];
};

const userRecipients = async (
  recipient: NotificationRecipient,
  sources: NoticeSources,
): Promise<number[]> => {
  const { ticket } = sources;
  switch (recipient) {
    case 'requester_id':
      return [ticket.requester_id];
    case 'requester_and_ccs':
      return [ticket.requester_id, ...ticket.collaborator_ids, ...(ticket.email_cc_ids ?? [])];
    case 'assignee_id':
      return ticket.assignee_id === null ? [] : [ticket.assignee_id];
    case 'current_user':
      return sources.updaterId === undefined ? [] : [sources.updaterId];
    case 'all_agents':
      return allAgentIds();
    default: {
      const [user] = await getUsers([recipient]);
      return user && user.active !== false ? [user.id] : [];
    }
  }
};

const groupMemberIds = async (groupId: number | null): Promise<number[]> =>
  groupId === null ? [] : (await allMemberships({ groupId })).map((membership) => membership.user_id);

/**
 * Every agent, as the members of every group: like Zendesk, every agent belongs to a group, and this
 * reads the groups partition instead of every user in the account.
 */
const allAgentIds = async (): Promise<number[]> => {
  const groups = await queryAllOfKind(physicalTableName('directory'), 'group');
  const members = await Promise.all(groups.map((group) => groupMemberIds(Number(group.id))));
  return members.flat();
};
