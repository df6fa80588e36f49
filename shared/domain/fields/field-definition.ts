/**
 * Custom field and form definitions as Zendesk models them (zendesk-api.md §2.9, §3): ticket fields,
 * user and organization fields (keyed by `key`), and ticket forms that list ticket fields. Building a
 * definition checks it, so a stored definition can always validate values.
 */
import { type FieldError, ValidationError } from '../errors.ts';
import { compileFieldRegexp } from './field-regexp.ts';
import type { SystemTicketFieldType } from './system-ticket-fields.ts';

export const TICKET_FIELD_TYPES = [
  'text',
  'textarea',
  'checkbox',
  'date',
  'integer',
  'decimal',
  'regexp',
  'tagger',
  'multiselect',
] as const;
export const DIRECTORY_FIELD_TYPES = [
  'text',
  'textarea',
  'checkbox',
  'date',
  'integer',
  'decimal',
  'regexp',
  'dropdown',
  'multiselect',
] as const;

export type TicketFieldType = (typeof TICKET_FIELD_TYPES)[number];
export type DirectoryFieldType = (typeof DIRECTORY_FIELD_TYPES)[number];
export type FieldType = TicketFieldType | DirectoryFieldType;

/** Types whose values are chosen from `custom_field_options` (and so are tags). */
export const OPTION_TYPES: readonly FieldType[] = ['tagger', 'dropdown', 'multiselect'];

export interface FieldOption {
  id: number;
  name: string;
  /** A tag: lower-case, no spaces, unique within the field. */
  value: string;
  default: boolean;
  position: number;
}

/** What value validation needs to know about a field, whatever kind of field it is. */
export interface FieldRules {
  type: FieldType;
  title: string;
  regexp_for_validation: string | null;
  tag: string | null;
  custom_field_options: FieldOption[];
}

interface CommonDefinition extends FieldRules {
  id: number;
  description: string;
  position: number;
  active: boolean;
  created_at: string;
  updated_at: string;
}

interface TicketFieldDefinition extends Omit<CommonDefinition, 'type'> {
  required: boolean;
  required_in_portal: boolean;
  visible_in_portal: boolean;
  editable_in_portal: boolean;
  title_in_portal: string;
}

export interface CustomTicketField extends TicketFieldDefinition {
  type: TicketFieldType;
}

/** One of Zendesk's system fields (subject, status, priority…): see system-ticket-fields.ts. */
export interface SystemTicketField extends TicketFieldDefinition {
  type: SystemTicketFieldType;
}

/** Ticket fields are listed together, custom and system alike; only custom ones hold `custom_fields` values. */
export type TicketField = CustomTicketField | SystemTicketField;

export const isCustomTicketField = (field: TicketField): field is CustomTicketField =>
  (TICKET_FIELD_TYPES as readonly string[]).includes(field.type);

/** A user or organization field: values live under its `key` in `user_fields`/`organization_fields`. */
export interface DirectoryField extends CommonDefinition {
  type: DirectoryFieldType;
  key: string;
}

export interface TicketForm {
  id: number;
  name: string;
  display_name: string;
  position: number;
  active: boolean;
  default: boolean;
  end_user_visible: boolean;
  ticket_field_ids: number[];
  created_at: string;
  updated_at: string;
}

/** An option as sent by a client; options without an id are new and get `newOptionIds` in order. */
export interface FieldOptionInput {
  id?: number | undefined;
  name: string;
  value?: string | undefined;
  default?: boolean | undefined;
}

export interface FieldDefinitionInput {
  type?: string | undefined;
  title?: string | undefined;
  description?: string | undefined;
  position?: number | undefined;
  active?: boolean | undefined;
  regexp_for_validation?: string | null | undefined;
  tag?: string | null | undefined;
  custom_field_options?: FieldOptionInput[] | undefined;
}

export interface TicketFieldInput extends FieldDefinitionInput {
  required?: boolean | undefined;
  required_in_portal?: boolean | undefined;
  visible_in_portal?: boolean | undefined;
  editable_in_portal?: boolean | undefined;
  title_in_portal?: string | undefined;
}

export interface DirectoryFieldInput extends FieldDefinitionInput {
  key?: string | undefined;
}

export interface TicketFormInput {
  name?: string | undefined;
  display_name?: string | undefined;
  position?: number | undefined;
  active?: boolean | undefined;
  default?: boolean | undefined;
  end_user_visible?: boolean | undefined;
  ticket_field_ids?: number[] | undefined;
}

/** Option values and checkbox tags are tags: trimmed, lower-case, inner spaces become underscores. */
export const toTagValue = (text: string): string => text.trim().toLowerCase().replace(/\s+/g, '_');

const KEY_FORMAT = /^[a-z0-9_]{1,64}$/;

/** How many options in `options` are new (the use case allocates that many ids). */
export const countNewOptions = (options: readonly FieldOptionInput[] | undefined): number =>
  (options ?? []).filter((option) => option.id === undefined).length;

/** Collects every problem of a definition, so one 422 names them all. */
export class DetailsCollector {
  readonly details: Record<string, FieldError[]> = {};
  add(field: string, description: string): void {
    this.details[field] = [...(this.details[field] ?? []), { description }];
  }
  throwIfAny(): void {
    if (Object.keys(this.details).length) throw new ValidationError(this.details);
  }
}

const buildOptions = (
  type: FieldType,
  inputs: readonly FieldOptionInput[],
  existing: readonly FieldOption[],
  newOptionIds: readonly number[],
  errors: DetailsCollector,
): FieldOption[] => {
  if (!OPTION_TYPES.includes(type)) return [];
  if (inputs.length === 0) {
    errors.add('custom_field_options', `Custom field options: a ${type} field needs at least one option`);
    return [];
  }
  const existingIds = new Set(existing.map((option) => option.id));
  const seen = new Set<string>();
  let nextNew = 0;
  return inputs.map((input, position) => {
    const name = input.name.trim();
    const value = toTagValue(input.value ?? input.name);
    if (!name) errors.add('custom_field_options', `Custom field options: option ${position + 1} has no name`);
    if (!value) errors.add('custom_field_options', `Custom field options: "${name}" has no value`);
    else if (seen.has(value)) {
      errors.add('custom_field_options', `Custom field options: the value "${value}" is used twice`);
    }
    seen.add(value);
    if (input.id !== undefined && !existingIds.has(input.id)) {
      errors.add(
        'custom_field_options',
        `Custom field options: option ${input.id} is not an option of this field`,
      );
    }
    const id = input.id ?? newOptionIds[nextNew++] ?? 0;
    return { id, name, value, default: input.default ?? false, position };
  });
};

/** The common part of a new or changed definition; `current` is the stored one when updating. */
const buildCommon = <T extends FieldType>(
  input: FieldDefinitionInput,
  allowedTypes: readonly T[],
  current: (FieldRules & { description: string; position: number; active: boolean }) | undefined,
  newOptionIds: readonly number[],
  errors: DetailsCollector,
) => {
  const requestedType = input.type ?? current?.type;
  let type = allowedTypes[0] as T;
  if (requestedType === undefined) errors.add('type', 'Type: cannot be blank');
  else if (!(allowedTypes as readonly string[]).includes(requestedType)) {
    errors.add('type', `Type: ${requestedType} is not a valid field type (${allowedTypes.join(', ')})`);
  } else if (current && requestedType !== current.type) {
    errors.add('type', `Type: cannot change from ${current.type} to ${requestedType}`);
  } else type = requestedType as T;

  const title = (input.title ?? current?.title ?? '').trim();
  if (!title) errors.add('title', 'Title: cannot be blank');

  const regexp =
    input.regexp_for_validation !== undefined
      ? input.regexp_for_validation
      : (current?.regexp_for_validation ?? null);
  if (type === 'regexp') {
    if (!regexp)
      errors.add('regexp_for_validation', 'Regexp for validation: cannot be blank for a regexp field');
    else {
      const compiled = compileFieldRegexp(regexp);
      if (!compiled.ok) errors.add('regexp_for_validation', `Regexp for validation: ${compiled.problem}`);
    }
  }

  const tagInput = input.tag !== undefined ? input.tag : (current?.tag ?? null);
  const tag = type === 'checkbox' && tagInput ? toTagValue(tagInput) || null : null;

  const options =
    input.custom_field_options !== undefined
      ? buildOptions(
          type,
          input.custom_field_options,
          current?.custom_field_options ?? [],
          newOptionIds,
          errors,
        )
      : current
        ? current.custom_field_options
        : buildOptions(type, [], [], newOptionIds, errors);

  return {
    type,
    title,
    description: input.description ?? current?.description ?? '',
    position: input.position ?? current?.position ?? 0,
    active: input.active ?? current?.active ?? true,
    regexp_for_validation: type === 'regexp' ? regexp : null,
    tag,
    custom_field_options: options,
  };
};

/**
 * A new custom ticket field (`current` undefined) or the stored one with `input` applied; 422 naming
 * each problem. System fields change through changeSystemTicketField.
 */
export const buildTicketField = (
  input: TicketFieldInput,
  context: {
    id: number;
    now: string;
    newOptionIds: readonly number[];
    current?: CustomTicketField | undefined;
  },
): CustomTicketField => {
  const errors = new DetailsCollector();
  const { current } = context;
  const common = buildCommon(input, TICKET_FIELD_TYPES, current, context.newOptionIds, errors);
  errors.throwIfAny();
  return {
    id: context.id,
    ...common,
    required: input.required ?? current?.required ?? false,
    required_in_portal: input.required_in_portal ?? current?.required_in_portal ?? false,
    visible_in_portal: input.visible_in_portal ?? current?.visible_in_portal ?? false,
    editable_in_portal: input.editable_in_portal ?? current?.editable_in_portal ?? false,
    title_in_portal: (input.title_in_portal ?? current?.title_in_portal ?? '').trim() || common.title,
    created_at: current?.created_at ?? context.now,
    updated_at: context.now,
  };
};

/** A new user/organization field, or the stored one changed; the key is set once and never changes. */
export const buildDirectoryField = (
  input: DirectoryFieldInput,
  context: { id: number; now: string; newOptionIds: readonly number[]; current?: DirectoryField | undefined },
): DirectoryField => {
  const errors = new DetailsCollector();
  const { current } = context;
  const common = buildCommon(input, DIRECTORY_FIELD_TYPES, current, context.newOptionIds, errors);
  const key = input.key ?? current?.key ?? '';
  if (!key) errors.add('key', 'Key: cannot be blank');
  else if (!KEY_FORMAT.test(key)) {
    errors.add('key', `Key: ${key} may hold only lower-case letters, digits and underscores (at most 64)`);
  } else if (current && key !== current.key) errors.add('key', 'Key: cannot be changed');
  errors.throwIfAny();
  return {
    id: context.id,
    ...common,
    key,
    created_at: current?.created_at ?? context.now,
    updated_at: context.now,
  };
};

/** A new form or the stored one changed; `knownFieldIds` are the ticket fields that exist. */
export const buildTicketForm = (
  input: TicketFormInput,
  context: { id: number; now: string; knownFieldIds: ReadonlySet<number>; current?: TicketForm | undefined },
): TicketForm => {
  const errors = new DetailsCollector();
  const { current } = context;
  const name = (input.name ?? current?.name ?? '').trim();
  if (!name) errors.add('name', 'Name: cannot be blank');
  const fieldIds = [...new Set(input.ticket_field_ids ?? current?.ticket_field_ids ?? [])];
  const unknown = fieldIds.filter((id) => !context.knownFieldIds.has(id));
  if (unknown.length)
    errors.add('ticket_field_ids', `Ticket field ids: no ticket field ${unknown.join(', ')}`);
  errors.throwIfAny();
  return {
    id: context.id,
    name,
    display_name: (input.display_name ?? current?.display_name ?? '').trim() || name,
    position: input.position ?? current?.position ?? 0,
    active: input.active ?? current?.active ?? true,
    default: input.default ?? current?.default ?? false,
    end_user_visible: input.end_user_visible ?? current?.end_user_visible ?? false,
    ticket_field_ids: fieldIds,
    created_at: current?.created_at ?? context.now,
    updated_at: context.now,
  };
};

/**
 * Options upserted one at a time (POST /ticket_fields/{id}/options): an option with a known id is
 * renamed, an option whose value exists is replaced, otherwise it is appended.
 */
export const upsertOption = (
  field: CustomTicketField,
  input: FieldOptionInput,
  newOptionId: number,
): { options: FieldOptionInput[]; optionId: number; created: boolean } => {
  const value = toTagValue(input.value ?? input.name);
  const options: FieldOptionInput[] = field.custom_field_options.map((option) => ({ ...option }));
  const existing = field.custom_field_options.find((option) =>
    input.id !== undefined ? option.id === input.id : option.value === value,
  );
  if (!existing) {
    if (input.id !== undefined) {
      throw ValidationError.field(
        'custom_field_option',
        `Custom field option: ${input.id} is not an option of this field`,
      );
    }
    // The new option has no id yet: building the field gives it `newOptionId`.
    return { options: [...options, { ...input }], optionId: newOptionId, created: true };
  }
  return {
    options: options.map((option) =>
      option.id === existing.id ? { ...option, ...input, id: existing.id } : option,
    ),
    optionId: existing.id,
    created: false,
  };
};
