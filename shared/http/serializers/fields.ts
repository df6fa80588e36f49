/** Field and form definitions on the wire: Zendesk's TicketField, TicketForm, UserField, OrganizationField. */
import {
  type DirectoryField,
  type FieldOption,
  isCustomTicketField,
  type TicketField,
  type TicketForm,
} from '../../domain/fields/field-definition.ts';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../../domain/tickets/ticket.ts';

const serializeOption = (option: FieldOption, fieldUrl: string) => ({
  id: option.id,
  url: fieldUrl.replace(/\.json$/, `/options/${option.id}.json`),
  name: option.name,
  raw_name: option.name,
  value: option.value,
  default: option.default,
  position: option.position,
});

const serializeCommon = (field: TicketField | DirectoryField, url: string) => ({
  id: field.id,
  url,
  type: field.type,
  title: field.title,
  raw_title: field.title,
  description: field.description,
  raw_description: field.description,
  position: field.position,
  active: field.active,
  regexp_for_validation: field.regexp_for_validation,
  custom_field_options: field.custom_field_options.map((option) => serializeOption(option, url)),
  created_at: field.created_at,
  updated_at: field.updated_at,
});

export const ticketFieldUrl = (publicUrl: string, id: number) =>
  `${publicUrl}/api/v2/ticket_fields/${id}.json`;

const optionsOf = (values: readonly string[]) =>
  values.map((value) => ({ name: value.charAt(0).toUpperCase() + value.slice(1), value }));

/** The fixed choices of the system fields that have them (Zendesk's `system_field_options`). */
const SYSTEM_FIELD_OPTIONS: Partial<Record<TicketField['type'], { name: string; value: string }[]>> = {
  status: optionsOf(TICKET_STATUSES),
  tickettype: optionsOf(TICKET_TYPES),
  priority: optionsOf(TICKET_PRIORITIES),
};

export const serializeTicketField = (field: TicketField, publicUrl: string) => {
  const systemOptions = SYSTEM_FIELD_OPTIONS[field.type];
  return {
    ...serializeCommon(field, ticketFieldUrl(publicUrl, field.id)),
    required: field.required,
    required_in_portal: field.required_in_portal,
    visible_in_portal: field.visible_in_portal,
    editable_in_portal: field.editable_in_portal,
    title_in_portal: field.title_in_portal,
    raw_title_in_portal: field.title_in_portal,
    tag: field.tag,
    removable: isCustomTicketField(field),
    ...(systemOptions ? { system_field_options: systemOptions } : {}),
  };
};

export const serializeFieldOption = (field: TicketField, option: FieldOption, publicUrl: string) =>
  serializeOption(option, ticketFieldUrl(publicUrl, field.id));

/** `user_fields` or `organization_fields`, whose URLs differ only by that path segment. */
export const serializeDirectoryField = (
  field: DirectoryField,
  collection: 'user_fields' | 'organization_fields',
  publicUrl: string,
) => ({
  ...serializeCommon(field, `${publicUrl}/api/v2/${collection}/${field.id}.json`),
  key: field.key,
});

export const serializeTicketForm = (form: TicketForm, publicUrl: string) => ({
  id: form.id,
  url: `${publicUrl}/api/v2/ticket_forms/${form.id}.json`,
  name: form.name,
  raw_name: form.name,
  display_name: form.display_name,
  raw_display_name: form.display_name,
  position: form.position,
  active: form.active,
  default: form.default,
  end_user_visible: form.end_user_visible,
  ticket_field_ids: form.ticket_field_ids,
  in_all_brands: true,
  restricted_brand_ids: [],
  created_at: form.created_at,
  updated_at: form.updated_at,
});
