/**
 * Custom field values on ticket, user and organization writes, checked against the current
 * definitions before anything is written (so a 422 changes nothing). Definitions are read with one
 * byKind Query per write, and only when the write carries values (or, for end-users opening a
 * request, portal-required fields may apply); they are not cached, so a definition change applies to
 * the next write. End-users' subject, priority and type are checked against the system fields then.
 */
import { checkDirectoryFieldValues } from '../../domain/fields/directory-field-values.ts';
import type { DirectoryField, TicketField } from '../../domain/fields/field-definition.ts';
import type { PortalSystemValues } from '../../domain/fields/system-ticket-fields.ts';
import {
  type CheckedTicketFields,
  checkTicketCustomFields,
  type TicketFieldWriteMode,
} from '../../domain/fields/ticket-field-values.ts';
import type { CustomFieldValue } from '../../domain/tickets/ticket.ts';
import { allDefinitions } from '../../store/fields/field-definitions.ts';

/**
 * The ticket field changes (values and the tags they write) of a write; empty when none apply.
 * `system`: the subject, priority and type an end-user sends (portal mode only).
 */
export const ticketCustomFieldChanges = async (
  values: readonly CustomFieldValue[] | undefined,
  mode: TicketFieldWriteMode,
  system: PortalSystemValues = {},
): Promise<Partial<CheckedTicketFields>> => {
  const portalSystem = mode.portal && (mode.creating || Object.keys(system).length > 0);
  if (!values?.length && !portalSystem) return {};
  const checked = checkTicketCustomFields(
    await allDefinitions<TicketField>('ticket_field'),
    values ?? [],
    mode,
    system,
  );
  return checked.custom_fields.length ? checked : {};
};

/** Normalised `user_fields` / `organization_fields`; undefined stays undefined (no read). */
export const directoryFieldValues = async (
  kind: 'user_field' | 'organization_field',
  values: Readonly<Record<string, unknown>> | undefined,
): Promise<Record<string, unknown> | undefined> => {
  if (values === undefined) return undefined;
  if (Object.keys(values).length === 0) return {};
  return checkDirectoryFieldValues(
    await allDefinitions<DirectoryField>(kind),
    values,
    kind === 'user_field' ? 'user_fields' : 'organization_fields',
  );
};
