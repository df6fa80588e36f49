/**
 * A ticket write's `custom_fields` checked against the active ticket field definitions, and the tags
 * those values write, as in Zendesk: a dropdown's (or multiselect's) chosen option values are ticket
 * tags and the field's other option values are removed; a checked checkbox adds the field's `tag`,
 * an unchecked one removes it. The use case passes the tags on as `additional_tags`/`remove_tags`.
 * An end-user's subject, priority and type are checked against their system fields in the same pass,
 * so one 422 names every problem.
 */

import { type FieldError, ValidationError } from '../errors.ts';
import type { CustomFieldValue } from '../tickets/ticket.ts';
import { type CustomTicketField, isCustomTicketField, type TicketField } from './field-definition.ts';
import { validateFieldValue } from './field-value.ts';
import { type PortalSystemValues, portalSystemFieldProblems } from './system-ticket-fields.ts';

export interface TicketFieldWriteMode {
  /** An end-user through the Requests API: only fields visible and editable in the portal. */
  portal: boolean;
  /** A new ticket: portal-required fields must then be given. */
  creating: boolean;
  /**
   * The fields of the form a new request is filed on: a portal-required field the form does not show
   * cannot be asked of the customer, so it is not required (no form: every field applies).
   */
  formFieldIds?: readonly number[];
}

export interface CheckedTicketFields {
  custom_fields: CustomFieldValue[];
  additional_tags: string[];
  remove_tags: string[];
}

const describe = (field: TicketField) => `${field.title} (field ${field.id})`;

const tagsOf = (field: CustomTicketField, value: unknown): { add: string[]; remove: string[] } => {
  if (field.type === 'checkbox') {
    if (!field.tag) return { add: [], remove: [] };
    return value === true ? { add: [field.tag], remove: [] } : { add: [], remove: [field.tag] };
  }
  if (field.type === 'tagger' || field.type === 'multiselect') {
    const chosen = value === null ? [] : Array.isArray(value) ? (value as string[]) : [value as string];
    const others = field.custom_field_options
      .map((option) => option.value)
      .filter((tag) => !chosen.includes(tag));
    return { add: chosen, remove: others };
  }
  return { add: [], remove: [] };
};

/** `system`: what an end-user sets besides custom fields (checked in portal mode only). */
export const checkTicketCustomFields = (
  definitions: readonly TicketField[],
  values: readonly CustomFieldValue[],
  mode: TicketFieldWriteMode,
  system: PortalSystemValues = {},
): CheckedTicketFields => {
  const active = new Map(definitions.filter((field) => field.active).map((field) => [field.id, field]));
  const problems: FieldError[] = [];
  const checked = new Map<number, unknown>();
  const additional: string[] = [];
  const removed: string[] = [];

  for (const { id, value } of values) {
    const field = active.get(id);
    if (!field) {
      problems.push({
        description: `Custom field ${id}: is not an active ticket field`,
        error: 'InvalidValue',
      });
      continue;
    }
    if (!isCustomTicketField(field)) {
      problems.push({
        description: `${describe(field)}: is a system field; set it on the ticket, not in custom_fields`,
        error: 'InvalidValue',
      });
      continue;
    }
    if (mode.portal && !(field.visible_in_portal && field.editable_in_portal)) {
      problems.push({ description: `${describe(field)}: cannot be set by end-users`, error: 'InvalidValue' });
      continue;
    }
    const result = validateFieldValue(field, value);
    if (!result.ok) {
      problems.push({ description: `${describe(field)}: ${result.problem}`, error: 'InvalidValue' });
      continue;
    }
    checked.set(id, result.value);
    const tags = tagsOf(field, result.value);
    additional.push(...tags.add);
    removed.push(...tags.remove);
  }

  if (mode.portal && mode.creating) {
    for (const field of active.values()) {
      if (!isCustomTicketField(field) || !field.required_in_portal || !field.visible_in_portal) continue;
      if (mode.formFieldIds && !mode.formFieldIds.includes(field.id)) continue;
      const value = checked.get(field.id);
      if (value === undefined || value === null) {
        problems.push({ description: `${describe(field)}: is required`, error: 'BlankValue' });
      }
    }
  }

  const systemProblems = mode.portal ? portalSystemFieldProblems(definitions, system, mode.creating) : {};
  if (problems.length || Object.keys(systemProblems).length) {
    throw new ValidationError({ ...(problems.length ? { custom_fields: problems } : {}), ...systemProblems });
  }
  const added = new Set(additional);
  return {
    custom_fields: [...checked].map(([id, value]) => ({ id, value })),
    additional_tags: [...added],
    remove_tags: [...new Set(removed)].filter((tag) => !added.has(tag)),
  };
};
