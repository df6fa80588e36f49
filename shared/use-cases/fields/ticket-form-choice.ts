/**
 * The form of a ticket create or update, checked against the current forms (one byKind Query, only
 * when there is something to check or a default to find) before anything is written.
 */
import type { TicketForm } from '../../domain/fields/field-definition.ts';
import { chooseTicketForm, type TicketFormWrite } from '../../domain/fields/ticket-form-choice.ts';
import { allDefinitions } from '../../store/fields/field-definitions.ts';

export const ticketFormFor = async (
  requested: number | null | undefined,
  write: TicketFormWrite,
): Promise<number | null | undefined> => {
  if (requested === null || (requested === undefined && !write.creating)) return requested;
  return chooseTicketForm(await allDefinitions<TicketForm>('ticket_form'), requested, write);
};

/** The form an end-user's new request goes on (the one named, else the default), for the portal's checks. */
export const endUserRequestForm = async (
  requested: number | null | undefined,
): Promise<TicketForm | undefined> => {
  if (requested === null) return undefined;
  const forms = await allDefinitions<TicketForm>('ticket_form');
  const chosen = chooseTicketForm(forms, requested, { endUser: true, creating: true });
  return forms.find((form) => form.id === chosen);
};
