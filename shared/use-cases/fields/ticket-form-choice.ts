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
