/**
 * A ticket as its requester sees it through the Requests API (zendesk-api.md §11, §14.1): no tags, only
 * the fields the portal shows, and a description that can never come from an internal note.
 */
import { type PortalView, portalCustomFields } from '../../domain/fields/portal-view.ts';
import { canBeSolvedByRequester } from '../../domain/tickets/requester-rules.ts';
import type { Ticket } from '../../domain/tickets/ticket.ts';

export const requestUrl = (publicUrl: string, id: number) => `${publicUrl}/api/v2/requests/${id}.json`;

/** End-users see `hold` as `open`, as in Zendesk's help center. */
const visibleStatus = (ticket: Ticket) => (ticket.status === 'hold' ? 'open' : ticket.status);

export const serializeRequest = (ticket: Ticket, publicUrl: string, portal: PortalView) => ({
  url: requestUrl(publicUrl, ticket.id),
  id: ticket.id,
  status: visibleStatus(ticket),
  priority: ticket.priority,
  type: ticket.type,
  subject: ticket.subject,
  description: ticket.is_public ? ticket.description : '',
  organization_id: ticket.organization_id,
  via: ticket.via,
  custom_fields: portalCustomFields(ticket.custom_fields, portal),
  requester_id: ticket.requester_id,
  collaborator_ids: ticket.collaborator_ids,
  email_cc_ids: ticket.email_cc_ids,
  is_public: ticket.is_public,
  due_at: ticket.due_at,
  can_be_solved_by_me: canBeSolvedByRequester(ticket),
  created_at: ticket.created_at,
  updated_at: ticket.updated_at,
  recipient: null,
  followup_source_id: ticket.followup_source_id,
  ...(portal.showsAssignee ? { assignee_id: ticket.assignee_id } : {}),
  ...(portal.showsGroup ? { group_id: ticket.group_id } : {}),
  ticket_form_id: ticket.ticket_form_id,
  solved: ticket.status === 'solved' || ticket.status === 'closed',
});
