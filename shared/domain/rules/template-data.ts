/**
 * The data Liquid placeholders in rule texts read (`{{ticket.title}}`, `{{ticket.requester.name}}`,
 * `{{current_user.first_name}}` …), built from the ticket as the rules left it. Everything here is
 * user content: it is only ever render data, never part of a template.
 */
import type { RuleTicket } from './rule-context.ts';

export interface TemplatePerson {
  name: string;
  email: string | null;
}

export interface TemplateSources {
  ticket: RuleTicket & { description?: string };
  requester?: TemplatePerson | undefined;
  assignee?: TemplatePerson | undefined;
  currentUser?: TemplatePerson | undefined;
  groupName?: string | undefined;
  organizationName?: string | undefined;
  /** Plain text of the comment made in the update the rule reacts to. */
  latestComment?: { body: string; public: boolean; byStaff: boolean } | undefined;
  /**
   * Leave out everything the requester wrote (subject, description, their comments; staff comments
   * stay). For mail to a requester whose address is unverified: an open form must not relay a
   * stranger's text to whatever address they typed.
   */
  withoutRequesterText?: boolean;
}

const person = (source: TemplatePerson | undefined) =>
  source
    ? { name: source.name, first_name: source.name.split(/\s+/)[0] ?? '', email: source.email ?? '' }
    : { name: '', first_name: '', email: '' };

export const ruleTemplateData = (sources: TemplateSources): Record<string, unknown> => {
  const { ticket } = sources;
  const hideText = sources.withoutRequesterText === true;
  const comment = hideText && !sources.latestComment?.byStaff ? undefined : sources.latestComment;
  return {
    ticket: {
      id: ticket.id,
      title: hideText ? '' : (ticket.subject ?? ''),
      description: hideText ? '' : (ticket.description ?? ''),
      status: ticket.status,
      priority: ticket.priority ?? '',
      ticket_type: ticket.type ?? '',
      tags: ticket.tags.join(' '),
      via: ticket.via.channel,
      requester: person(sources.requester),
      assignee: person(sources.assignee),
      group: { name: sources.groupName ?? '' },
      organization: { name: sources.organizationName ?? '' },
      latest_comment: comment?.body ?? '',
      latest_public_comment: comment?.public ? comment.body : '',
    },
    current_user: person(sources.currentUser),
  };
};
