/** Turns a validated `{ticket}` body into the use cases' commands (field changes and references). */
import { ValidationError } from '../../domain/errors.ts';
import type { TicketFieldChanges } from '../../domain/tickets/plan-ticket-write.ts';
import type { TicketInput } from '../../http/schemas/ticket-input.ts';
import { findUserByEmail } from '../../store/directory/users.ts';
import { ticketCustomFieldChanges } from '../fields/check-field-values.ts';
import type { PersonReference } from './resolve-references.ts';

export interface TicketInputCommand {
  fields: Omit<TicketFieldChanges, 'requester_id' | 'collaborator_ids'>;
  requester?: PersonReference;
  collaborators?: PersonReference[];
  safeUpdateStamp?: string;
}

const assigneeIdFrom = async (input: TicketInput): Promise<number | null | undefined> => {
  if (input.assignee_email === undefined) return input.assignee_id;
  const assignee = await findUserByEmail(input.assignee_email);
  if (!assignee)
    throw ValidationError.field('assignee_email', `Assignee: no user with email ${input.assignee_email}`);
  return assignee.id;
};

export const ticketInputCommand = async (input: TicketInput): Promise<TicketInputCommand> => {
  if (input.safe_update !== undefined && input.updated_stamp === undefined) {
    throw ValidationError.field('updated_stamp', 'Updated stamp: is required for a safe update');
  }
  const assigneeId = await assigneeIdFrom(input);
  // Agents may set any active field; the Requests API checks end-users' writes in portal mode.
  const customFields = await ticketCustomFieldChanges(input.custom_fields, {
    portal: false,
    creating: false,
  });
  const fields: TicketInputCommand['fields'] = {
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(input.priority !== undefined ? { priority: input.priority } : {}),
    ...(input.type !== undefined ? { type: input.type } : {}),
    ...(assigneeId !== undefined ? { assignee_id: assigneeId } : {}),
    ...(input.group_id !== undefined ? { group_id: input.group_id } : {}),
    ...(input.organization_id !== undefined ? { organization_id: input.organization_id } : {}),
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
    ...(input.additional_tags !== undefined ? { additional_tags: input.additional_tags } : {}),
    ...(input.remove_tags !== undefined ? { remove_tags: input.remove_tags } : {}),
    ...customFields,
    ...(input.external_id !== undefined ? { external_id: input.external_id } : {}),
    ...(input.due_at !== undefined ? { due_at: input.due_at && new Date(input.due_at).toISOString() } : {}),
    ...(input.problem_id !== undefined ? { problem_id: input.problem_id } : {}),
    ...(input.ticket_form_id !== undefined ? { ticket_form_id: input.ticket_form_id } : {}),
  };
  const requester = input.requester ?? input.requester_id;
  const collaborators = input.collaborators ?? input.collaborator_ids;
  return {
    fields,
    ...(requester !== undefined ? { requester } : {}),
    ...(collaborators !== undefined ? { collaborators } : {}),
    ...(input.safe_update !== undefined && input.updated_stamp
      ? { safeUpdateStamp: input.updated_stamp }
      : {}),
  };
};
