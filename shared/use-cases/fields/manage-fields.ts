/**
 * Creating, changing and deleting field and form definitions. Primary course: 1. allocate ids (the
 * definition's, and one per new option); 2. build the definition, which checks it (422 naming the
 * problem); 3. write it (a user/organization field's key claimed with it; updates conditional on the
 * version read, retried once on a concurrent change).
 */

import { NotFoundError, UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import {
  buildDirectoryField,
  buildTicketField,
  buildTicketForm,
  countNewOptions,
  type DirectoryField,
  type DirectoryFieldInput,
  type FieldOptionInput,
  isCustomTicketField,
  type TicketField,
  type TicketFieldInput,
  type TicketForm,
  type TicketFormInput,
  upsertOption,
} from '../../domain/fields/field-definition.ts';
import {
  changeSystemTicketField,
  isSystemTicketField,
  SYSTEM_TICKET_FIELD_TYPES,
  systemTicketField,
} from '../../domain/fields/system-ticket-fields.ts';
import {
  allDefinitions,
  allocateDefinitionId,
  allocateOptionIds,
  deleteDefinition,
  getDefinition,
  insertDefinition,
  replaceDefinition,
  type Stored,
} from '../../store/fields/field-definitions.ts';

export type DirectoryFieldKind = 'user_field' | 'organization_field';

const ATTEMPTS = 2;

export const readDefinition = async <T>(
  kind: 'ticket_field' | 'ticket_form' | DirectoryFieldKind,
  id: number,
): Promise<Stored<T>> => {
  const record = await getDefinition<T>(kind, id);
  if (!record) throw new NotFoundError();
  return record;
};

/** Runs `change` on a fresh read until it lands (a concurrent change is retried once). */
const withRetry = async <T>(change: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === ATTEMPTS) throw error;
    }
  }
};

export const createTicketField = async (input: TicketFieldInput, now: string): Promise<TicketField> => {
  const [id, newOptionIds] = await Promise.all([
    allocateDefinitionId('ticket_field'),
    allocateOptionIds(countNewOptions(input.custom_field_options)),
  ]);
  return insertDefinition('ticket_field', buildTicketField(input, { id, now, newOptionIds }));
};

export const updateTicketField = (id: number, input: TicketFieldInput, now: string): Promise<TicketField> =>
  withRetry(async () => {
    const current = await readDefinition<TicketField>('ticket_field', id);
    if (isSystemTicketField(current)) {
      return replaceDefinition('ticket_field', current, changeSystemTicketField(current, input, now));
    }
    const newOptionIds = await allocateOptionIds(countNewOptions(input.custom_field_options));
    return replaceDefinition(
      'ticket_field',
      current,
      buildTicketField(input, { id, now, newOptionIds, current }),
    );
  });

/** POST /ticket_fields/{id}/options: adds an option or updates the one with that id or value. */
export const upsertTicketFieldOption = (
  id: number,
  input: FieldOptionInput,
  now: string,
): Promise<{ field: TicketField; optionId: number; created: boolean }> =>
  withRetry(async () => {
    const current = await readDefinition<TicketField>('ticket_field', id);
    if (!isCustomTicketField(current)) {
      throw ValidationError.field(
        'custom_field_option',
        `Custom field option: the system field ${current.title} has no options`,
      );
    }
    const [newOptionId = 0] = input.id === undefined ? await allocateOptionIds(1) : [];
    const { options, optionId, created } = upsertOption(current, input, newOptionId);
    const field = await replaceDefinition(
      'ticket_field',
      current,
      buildTicketField(
        { custom_field_options: options },
        { id, now, newOptionIds: created ? [optionId] : [], current },
      ),
    );
    return { field, optionId, created };
  });

export const createDirectoryField = async (
  kind: DirectoryFieldKind,
  input: DirectoryFieldInput,
  now: string,
): Promise<DirectoryField> => {
  const [id, newOptionIds] = await Promise.all([
    allocateDefinitionId(kind),
    allocateOptionIds(countNewOptions(input.custom_field_options)),
  ]);
  const field = buildDirectoryField(input, { id, now, newOptionIds });
  return insertDefinition(kind, field, field.key);
};

export const updateDirectoryField = (
  kind: DirectoryFieldKind,
  id: number,
  input: DirectoryFieldInput,
  now: string,
): Promise<DirectoryField> =>
  withRetry(async () => {
    const current = await readDefinition<DirectoryField>(kind, id);
    const newOptionIds = await allocateOptionIds(countNewOptions(input.custom_field_options));
    return replaceDefinition(kind, current, buildDirectoryField(input, { id, now, newOptionIds, current }));
  });

export const deleteDirectoryField = async (kind: DirectoryFieldKind, id: number): Promise<void> => {
  const field = await readDefinition<DirectoryField>(kind, id);
  await deleteDefinition(kind, id, field.key);
};

/** System ticket fields are never removed (Zendesk's `removable: false`): 422, nothing deleted. */
export const deleteTicketField = async (id: number): Promise<void> => {
  const field = await readDefinition<TicketField>('ticket_field', id);
  if (!isCustomTicketField(field)) {
    throw ValidationError.field(
      'base',
      `Ticket field: ${field.title} is a system field and cannot be deleted`,
    );
  }
  await deleteDefinition('ticket_field', id);
};

export const deleteTicketForm = async (id: number): Promise<void> => {
  await readDefinition('ticket_form', id);
  await deleteDefinition('ticket_form', id);
};

/**
 * The system ticket fields, in Zendesk's order, on an account's first start. Types already defined
 * are skipped, so a seeding interrupted half-way can run again without duplicating any.
 */
export const createSystemTicketFields = async (now: string): Promise<void> => {
  const existing = new Set((await allDefinitions<TicketField>('ticket_field')).map((field) => field.type));
  for (const [position, type] of SYSTEM_TICKET_FIELD_TYPES.entries()) {
    if (existing.has(type)) continue;
    const id = await allocateDefinitionId('ticket_field');
    await insertDefinition('ticket_field', systemTicketField(type, { id, position, now }));
  }
};

const ticketFieldIds = async (): Promise<Set<number>> =>
  new Set((await allDefinitions<TicketField>('ticket_field')).map((field) => field.id));

export const createTicketForm = async (input: TicketFormInput, now: string): Promise<TicketForm> => {
  const [id, knownFieldIds] = await Promise.all([allocateDefinitionId('ticket_form'), ticketFieldIds()]);
  return insertDefinition('ticket_form', buildTicketForm(input, { id, now, knownFieldIds }));
};

export const updateTicketForm = (id: number, input: TicketFormInput, now: string): Promise<TicketForm> =>
  withRetry(async () => {
    const current = await readDefinition<TicketForm>('ticket_form', id);
    const knownFieldIds = await ticketFieldIds();
    return replaceDefinition(
      'ticket_form',
      current,
      buildTicketForm(input, { id, now, knownFieldIds, current }),
    );
  });
