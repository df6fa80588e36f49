/** Tickets, comments and audits on the wire, shaped as Zendesk's TicketObject, comments and audits. */
import type { Audit, Comment, Ticket } from '../../domain/tickets/ticket.ts';
import { serializeTicketSatisfaction } from './satisfaction-rating.ts';

export const ticketUrl = (publicUrl: string, id: number) => `${publicUrl}/api/v2/tickets/${id}.json`;

export const serializeTicket = (ticket: Ticket, publicUrl: string) => ({
  url: ticketUrl(publicUrl, ticket.id),
  id: ticket.id,
  external_id: ticket.external_id,
  via: ticket.via,
  created_at: ticket.created_at,
  updated_at: ticket.updated_at,
  generated_timestamp: Math.floor(Date.parse(ticket.updated_at) / 1000),
  type: ticket.type,
  subject: ticket.subject,
  raw_subject: ticket.subject,
  description: ticket.description,
  priority: ticket.priority,
  status: ticket.status,
  recipient: null,
  requester_id: ticket.requester_id,
  submitter_id: ticket.submitter_id,
  assignee_id: ticket.assignee_id,
  organization_id: ticket.organization_id,
  group_id: ticket.group_id,
  collaborator_ids: ticket.collaborator_ids,
  follower_ids: ticket.follower_ids,
  email_cc_ids: ticket.email_cc_ids,
  forum_topic_id: null,
  problem_id: ticket.problem_id,
  has_incidents: false,
  is_public: ticket.is_public,
  // Relaydesk extension (SLA breach handling); tickets stored before it existed read false.
  sla_breached: ticket.sla_breached === true,
  due_at: ticket.due_at,
  tags: ticket.tags,
  custom_fields: ticket.custom_fields,
  fields: ticket.custom_fields,
  satisfaction_rating: serializeTicketSatisfaction(ticket.satisfaction_rating),
  sharing_agreement_ids: [],
  followup_ids: [],
  ...(ticket.followup_source_id === null ? {} : { via_followup_source_id: ticket.followup_source_id }),
  ticket_form_id: ticket.ticket_form_id,
  brand_id: null,
  allow_channelback: false,
  allow_attachments: true,
  from_messaging_channel: false,
});

/**
 * Zendesk's comment flags: integers in `metadata.flags`, each explained in `metadata.flags_options`
 * (`{ trusted, message }`). Comments made from mail may carry two. 0 is Zendesk's own "unsure the
 * comment should be trusted": the sender failed authentication or is not on the ticket, so the mail
 * became an internal note. 1000 is Relaydesk's (outside Zendesk's range): limits on size, parts,
 * nesting or header length cut the mail, so the comment holds only what could be read.
 */
export const COMMENT_FLAGS = { unverified_sender: 0, truncated: 1000 } as const;

const FLAG_OPTIONS = {
  [COMMENT_FLAGS.unverified_sender]: {
    trusted: false,
    message: 'The sender could not be verified (authentication failed, or not on the ticket).',
  },
  [COMMENT_FLAGS.truncated]: {
    trusted: true,
    message: 'The mail was cut by size or structure limits; the original email has all of it.',
  },
};

const commentFields = (comment: Comment) => ({
  id: comment.id,
  type: comment.type,
  author_id: comment.author_id,
  body: comment.body,
  html_body: comment.html_body,
  plain_body: comment.plain_body,
  public: comment.public,
  attachments: comment.attachments,
  audit_id: comment.audit_id,
  via: comment.via,
});

/** Where a comment made from mail came from, and its flags; for staff only (links to the raw mail). */
const mailMetadata = (comment: Comment, publicUrl: string) => {
  const { mail } = comment;
  if (!mail) return { system: {}, custom: {} };
  const flags = [
    ...(mail.unverified_sender ? [COMMENT_FLAGS.unverified_sender] : []),
    ...(mail.truncated ? [COMMENT_FLAGS.truncated] : []),
  ];
  return {
    system: {
      message_id: mail.message_id,
      raw_email_identifier: mail.raw_mail_key,
      original_email_url: `${publicUrl}/api/v2/tickets/${comment.ticket_id}/comments/${comment.id}/original_email`,
    },
    custom: {},
    ...(flags.length
      ? { flags, flags_options: Object.fromEntries(flags.map((flag) => [flag, FLAG_OPTIONS[flag]])) }
      : {}),
  };
};

/** A comment as agents see it (Tickets API). */
export const serializeComment = (comment: Comment, publicUrl: string) => ({
  ...commentFields(comment),
  metadata: mailMetadata(comment, publicUrl),
  created_at: comment.created_at,
});

/** A comment as its requester sees it (Requests API): nothing about how the mail reached us. */
export const serializeRequestComment = (comment: Comment) => ({
  ...commentFields(comment),
  metadata: { system: {}, custom: {} },
  created_at: comment.created_at,
});

export const serializeAudit = (audit: Audit) => ({
  id: audit.id,
  ticket_id: audit.ticket_id,
  created_at: audit.created_at,
  author_id: audit.author_id,
  metadata: audit.metadata,
  via: audit.via,
  events: audit.events,
});
