/**
 * The form a ticket write puts the ticket on (zendesk-api.md §2.9). A named form must be active and,
 * for an end-user, visible to end-users (else 422 on `ticket_form_id`, and an end-user cannot tell a
 * hidden form from a missing one). A new ticket that names none gets the account's default form, as
 * in Zendesk, or none when there is no active default.
 */
import { ValidationError } from '../errors.ts';
import type { TicketForm } from './field-definition.ts';

export interface TicketFormWrite {
  endUser: boolean;
  creating: boolean;
}

/** The active default form with the lowest position (then id), should several be marked default. */
export const defaultTicketForm = (forms: readonly TicketForm[]): TicketForm | undefined =>
  forms
    .filter((form) => form.active && form.default)
    .sort((a, b) => a.position - b.position || a.id - b.id)[0];

/**
 * The form id to store; undefined when an update leaves the ticket's form as it is, null when it
 * takes the ticket off its form.
 */
export const chooseTicketForm = (
  forms: readonly TicketForm[],
  requested: number | null | undefined,
  write: TicketFormWrite,
): number | null | undefined => {
  if (requested === null) return null;
  if (requested === undefined) return write.creating ? (defaultTicketForm(forms)?.id ?? null) : undefined;
  const form = forms.find((candidate) => candidate.id === requested);
  if (!form?.active || (write.endUser && !form.end_user_visible)) {
    throw ValidationError.field(
      'ticket_form_id',
      `Ticket form: ${requested} is not an active ticket form${write.endUser ? ' open to end-users' : ''}`,
      'InvalidValue',
    );
  }
  return form.id;
};
