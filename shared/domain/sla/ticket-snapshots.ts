/**
 * The ticket as it stood after each audit, rebuilt from the audit events alone. SLA policies are
 * re-evaluated after every audit, and a policy filter must see the fields of that moment (a priority
 * raised later must not re-target clocks before it was raised).
 */
import type { RuleTicket } from '../rules/rule-context.ts';
import type { Audit, CustomFieldValue, TicketPriority, TicketStatus, TicketType } from '../tickets/ticket.ts';

export interface TicketSnapshot {
  ticket: RuleTicket;
  /** Reopens so far (solved → any status but closed), for the `reopens` condition. */
  reopens: number;
}

const CUSTOM_FIELD_NAME = /^\d+$/;

const applyField = (ticket: RuleTicket, field: string, value: unknown): RuleTicket => {
  if (CUSTOM_FIELD_NAME.test(field)) {
    const id = Number(field);
    const others: CustomFieldValue[] = ticket.custom_fields.filter((custom) => custom.id !== id);
    return { ...ticket, custom_fields: [...others, { id, value }] };
  }
  switch (field) {
    case 'subject':
      return { ...ticket, subject: value as string | null };
    case 'status':
      return { ...ticket, status: value as TicketStatus };
    case 'priority':
      return { ...ticket, priority: value as TicketPriority | null };
    case 'type':
      return { ...ticket, type: value as TicketType | null };
    case 'requester_id':
      return { ...ticket, requester_id: value as number };
    case 'assignee_id':
      return { ...ticket, assignee_id: value as number | null };
    case 'group_id':
      return { ...ticket, group_id: value as number | null };
    case 'organization_id':
      return { ...ticket, organization_id: value as number | null };
    case 'tags':
      return { ...ticket, tags: value as string[] };
    case 'collaborator_ids':
      return { ...ticket, collaborator_ids: value as number[] };
    case 'ticket_form_id':
      return { ...ticket, ticket_form_id: value as number | null };
    default:
      return ticket;
  }
};

/** One snapshot per audit, in the audits' order. */
export const ticketSnapshots = (ticketId: number, auditsInOrder: readonly Audit[]): TicketSnapshot[] => {
  const first = auditsInOrder[0];
  if (!first) return [];
  let ticket: RuleTicket = {
    id: ticketId,
    subject: null,
    status: 'new',
    priority: null,
    type: null,
    requester_id: first.author_id,
    assignee_id: null,
    group_id: null,
    organization_id: null,
    tags: [],
    custom_fields: [],
    collaborator_ids: [],
    via: first.via,
  };
  let reopens = 0;
  return auditsInOrder.map((audit) => {
    for (const event of audit.events) {
      if (event.type !== 'Create' && event.type !== 'Change') continue;
      if (event.field_name === 'status' && ticket.status === 'solved' && event.value !== 'closed') {
        reopens += 1;
      }
      ticket = applyField(ticket, event.field_name, event.value);
    }
    return { ticket, reopens };
  });
};
