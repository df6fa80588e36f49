import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.ts';
import { checkDirectoryFieldValues } from '../../shared/domain/fields/directory-field-values.ts';
import {
  buildDirectoryField,
  buildTicketField,
  type DirectoryField,
  type FieldRules,
  type FieldType,
  type TicketField,
  upsertOption,
} from '../../shared/domain/fields/field-definition.ts';
import { compileFieldRegexp } from '../../shared/domain/fields/field-regexp.ts';
import { validateFieldValue } from '../../shared/domain/fields/field-value.ts';
import { checkTicketCustomFields } from '../../shared/domain/fields/ticket-field-values.ts';

const NOW = '2026-11-25T09:00:00Z';
const OPTIONS = [
  { id: 1, name: 'Low', value: 'urgency_low', default: false, position: 0 },
  { id: 2, name: 'High', value: 'urgency_high', default: false, position: 1 },
];
const rules = (type: FieldType, extra: Partial<FieldRules> = {}): FieldRules => ({
  type,
  title: type,
  regexp_for_validation: null,
  tag: null,
  custom_field_options: OPTIONS,
  ...extra,
});

const detailsOf = (attempt: () => unknown): Record<string, { description: string }[]> => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('expected a validation error');
};

describe('validating one value against its field definition', () => {
  const postcode = rules('regexp', { regexp_for_validation: '\\A[0-9]{5}\\z' });
  it.each<[string, FieldRules, unknown, { value: unknown } | 'invalid']>([
    ['text accepts a string', rules('text'), 'hello', { value: 'hello' }],
    ['text refuses a number', rules('text'), 5, 'invalid'],
    ['text refuses a boolean', rules('text'), true, 'invalid'],
    ['textarea accepts multi-line text', rules('textarea'), 'a\nb', { value: 'a\nb' }],
    ['textarea refuses an object', rules('textarea'), { a: 1 }, 'invalid'],
    ['null clears a text field', rules('text'), null, { value: null }],
    ['an empty string clears a text field', rules('text'), '', { value: null }],
    ['checkbox accepts true', rules('checkbox'), true, { value: true }],
    ['checkbox accepts false', rules('checkbox'), false, { value: false }],
    ['checkbox refuses "yes"', rules('checkbox'), 'yes', 'invalid'],
    ['checkbox refuses 1', rules('checkbox'), 1, 'invalid'],
    ['null clears a checkbox', rules('checkbox'), null, { value: null }],
    ['date accepts a real date', rules('date'), '2026-02-28', { value: '2026-02-28' }],
    ['date accepts a leap day', rules('date'), '2024-02-29', { value: '2024-02-29' }],
    ['date refuses a leap day in a common year', rules('date'), '2026-02-29', 'invalid'],
    ['date refuses month 13', rules('date'), '2026-13-01', 'invalid'],
    ['date refuses a timestamp', rules('date'), '2026-02-28T10:00:00Z', 'invalid'],
    ['date refuses another format', rules('date'), '28/02/2026', 'invalid'],
    ['date refuses a number', rules('date'), 20260228, 'invalid'],
    ['integer accepts a number', rules('integer'), 42, { value: 42 }],
    ['integer accepts a negative number', rules('integer'), -7, { value: -7 }],
    ['integer accepts a numeric string', rules('integer'), '42', { value: 42 }],
    ['integer refuses a fraction', rules('integer'), 4.2, 'invalid'],
    ['integer refuses a fractional string', rules('integer'), '4.2', 'invalid'],
    ['integer refuses words', rules('integer'), 'forty', 'invalid'],
    ['integer refuses an unsafe integer', rules('integer'), 2 ** 60, 'invalid'],
    ['decimal accepts a fraction', rules('decimal'), 4.25, { value: 4.25 }],
    ['decimal accepts a numeric string', rules('decimal'), '-0.5', { value: -0.5 }],
    ['decimal accepts an integer', rules('decimal'), 3, { value: 3 }],
    ['decimal refuses words', rules('decimal'), 'abc', 'invalid'],
    ['decimal refuses infinity', rules('decimal'), Number.POSITIVE_INFINITY, 'invalid'],
    ['decimal refuses a boolean', rules('decimal'), true, 'invalid'],
    ['regexp accepts a matching value', postcode, '12345', { value: '12345' }],
    ['regexp refuses a value that does not match', postcode, '1234a', 'invalid'],
    ['regexp refuses a longer value (anchored)', postcode, '123456', 'invalid'],
    ['regexp refuses a number', postcode, 12345, 'invalid'],
    [
      'regexp refuses any value when its pattern is unusable',
      rules('regexp', { regexp_for_validation: '(' }),
      'x',
      'invalid',
    ],
    ['tagger accepts an option value', rules('tagger'), 'urgency_high', { value: 'urgency_high' }],
    ['tagger refuses an option name', rules('tagger'), 'High', 'invalid'],
    ['tagger refuses an unknown value', rules('tagger'), 'urgency_extreme', 'invalid'],
    ['tagger refuses an array', rules('tagger'), ['urgency_high'], 'invalid'],
    ['null clears a tagger', rules('tagger'), null, { value: null }],
    ['dropdown accepts an option value', rules('dropdown'), 'urgency_low', { value: 'urgency_low' }],
    ['dropdown refuses an unknown value', rules('dropdown'), 'medium', 'invalid'],
    [
      'multiselect accepts option values',
      rules('multiselect'),
      ['urgency_low', 'urgency_high'],
      { value: ['urgency_low', 'urgency_high'] },
    ],
    [
      'multiselect removes duplicates',
      rules('multiselect'),
      ['urgency_low', 'urgency_low'],
      { value: ['urgency_low'] },
    ],
    [
      'multiselect takes a single value as a list',
      rules('multiselect'),
      'urgency_low',
      { value: ['urgency_low'] },
    ],
    ['multiselect refuses an unknown value', rules('multiselect'), ['urgency_low', 'nope'], 'invalid'],
    ['multiselect refuses non-strings', rules('multiselect'), [1], 'invalid'],
    ['an empty list clears a multiselect', rules('multiselect'), [], { value: null }],
  ])('%s', (_name, field, value, expected) => {
    const result = validateFieldValue(field, value);
    if (expected === 'invalid') expect(result.ok).toBe(false);
    else expect(result).toEqual({ ok: true, value: expected.value });
  });
});

describe('compiling regexps of regexp fields', () => {
  it.each([
    ['^[a-z]+$', true],
    ['\\A\\d{3}-\\d{4}\\z', true],
    ['(', false],
    ['[z-a]', false],
    ['(a+)+$', false],
    ['(\\w*)*x', false],
    ['(ab|cd){2}', true],
    ['x'.repeat(501), false],
  ])('%s compiles: %s', (pattern, ok) => {
    expect(compileFieldRegexp(pattern).ok).toBe(ok);
  });
});

const ticketField = (
  input: Parameters<typeof buildTicketField>[0],
  id = 10,
  newOptionIds: number[] = [100, 101, 102],
) => buildTicketField(input, { id, now: NOW, newOptionIds });

describe('ticket field definitions', () => {
  it('builds a dropdown whose option values are tags, with fresh option ids', () => {
    const field = ticketField({
      type: 'tagger',
      title: 'Urgency',
      custom_field_options: [{ name: 'Very High' }, { name: 'Low', value: 'Urgency Low' }],
    });
    expect(field.custom_field_options).toEqual([
      { id: 100, name: 'Very High', value: 'very_high', default: false, position: 0 },
      { id: 101, name: 'Low', value: 'urgency_low', default: false, position: 1 },
    ]);
    expect(field).toMatchObject({ active: true, title_in_portal: 'Urgency', regexp_for_validation: null });
  });

  it.each<[string, Parameters<typeof buildTicketField>[0], string]>([
    ['an unknown type', { type: 'lookup', title: 'X' }, 'type'],
    ['a missing type', { title: 'X' }, 'type'],
    ['a blank title', { type: 'text', title: '  ' }, 'title'],
    ['a dropdown without options', { type: 'tagger', title: 'X' }, 'custom_field_options'],
    [
      'a dropdown with an empty option list',
      { type: 'tagger', title: 'X', custom_field_options: [] },
      'custom_field_options',
    ],
    [
      'duplicate option values',
      {
        type: 'multiselect',
        title: 'X',
        custom_field_options: [{ name: 'A b' }, { name: 'x', value: 'a_b' }],
      },
      'custom_field_options',
    ],
    ['a regexp field without a pattern', { type: 'regexp', title: 'X' }, 'regexp_for_validation'],
    [
      'a regexp that does not compile',
      { type: 'regexp', title: 'X', regexp_for_validation: '[' },
      'regexp_for_validation',
    ],
    [
      'a catastrophic regexp',
      { type: 'regexp', title: 'X', regexp_for_validation: '(a*)*b' },
      'regexp_for_validation',
    ],
    [
      'a directory-only type',
      { type: 'dropdown', title: 'X', custom_field_options: [{ name: 'a' }] },
      'type',
    ],
  ])('refuses %s, naming %s', (_name, input, field) => {
    expect(Object.keys(detailsOf(() => ticketField(input)))).toContain(field);
  });

  it('refuses changing the type of a stored field', () => {
    const current = ticketField({ type: 'text', title: 'Notes' });
    expect(
      detailsOf(() => buildTicketField({ type: 'integer' }, { id: 10, now: NOW, newOptionIds: [], current })),
    ).toHaveProperty('type');
  });

  it('keeps a checkbox tag as a tag and drops tags on other types', () => {
    expect(ticketField({ type: 'checkbox', title: 'VIP', tag: 'Is VIP' }).tag).toBe('is_vip');
    expect(ticketField({ type: 'text', title: 'Notes', tag: 'x' }).tag).toBeNull();
  });

  it('upserts options by value, then by id', () => {
    const field = ticketField({ type: 'tagger', title: 'U', custom_field_options: [{ name: 'Low' }] });
    const added = upsertOption(field, { name: 'High' }, 500);
    expect(added).toMatchObject({ created: true, optionId: 500 });
    expect(added.options).toHaveLength(2);
    const renamed = upsertOption(field, { name: 'Lowest', value: 'low' }, 501);
    expect(renamed).toMatchObject({ created: false, optionId: 100 });
    expect(renamed.options[0]).toMatchObject({ id: 100, name: 'Lowest' });
    expect(() => upsertOption(field, { id: 999, name: 'Nope' }, 502)).toThrow(ValidationError);
  });
});

describe('user and organization field definitions', () => {
  const build = (input: Parameters<typeof buildDirectoryField>[0], current?: DirectoryField) =>
    buildDirectoryField(input, { id: 3, now: NOW, newOptionIds: [7, 8], current });

  it('builds a dropdown keyed field', () => {
    const field = build({
      key: 'plan',
      type: 'dropdown',
      title: 'Plan',
      custom_field_options: [{ name: 'Enterprise' }],
    });
    expect(field).toMatchObject({ key: 'plan', custom_field_options: [{ id: 7, value: 'enterprise' }] });
  });

  it.each([
    ['a blank key', { type: 'text', title: 'X' }, 'key'],
    ['a key with capitals', { key: 'Plan', type: 'text', title: 'X' }, 'key'],
    ['a key with spaces', { key: 'revenue band', type: 'text', title: 'X' }, 'key'],
    [
      'a ticket-only type',
      { key: 'x', type: 'tagger', title: 'X', custom_field_options: [{ name: 'a' }] },
      'type',
    ],
  ])('refuses %s', (_name, input, field) => {
    expect(Object.keys(detailsOf(() => build(input)))).toContain(field);
  });

  it('refuses changing the key', () => {
    const current = build({ key: 'plan', type: 'text', title: 'Plan' });
    expect(detailsOf(() => build({ key: 'tier' }, current))).toHaveProperty('key');
  });
});

const field = (overrides: Partial<TicketField>): TicketField => ({
  ...ticketField({ type: 'text', title: 'Field' }),
  visible_in_portal: true,
  editable_in_portal: true,
  ...overrides,
});

describe('a ticket write’s custom fields', () => {
  const urgency = field({ id: 1, type: 'tagger', title: 'Urgency', custom_field_options: OPTIONS });
  const vip = field({ id: 2, type: 'checkbox', title: 'VIP', tag: 'vip', visible_in_portal: false });
  const internal = field({ id: 3, type: 'text', title: 'Internal', editable_in_portal: false });
  const retired = field({ id: 4, type: 'text', title: 'Old', active: false });
  const required = field({ id: 5, type: 'text', title: 'Order', required_in_portal: true });
  const all = [urgency, vip, internal, retired, required];
  const agent = { portal: false, creating: false };

  it('writes a dropdown value and its tag, removing the other options’ tags', () => {
    expect(checkTicketCustomFields(all, [{ id: 1, value: 'urgency_high' }], agent)).toEqual({
      custom_fields: [{ id: 1, value: 'urgency_high' }],
      additional_tags: ['urgency_high'],
      remove_tags: ['urgency_low'],
    });
  });

  it.each([
    [true, ['vip'], []],
    [false, [], ['vip']],
    [null, [], ['vip']],
  ])('a checkbox set to %s adds %j and removes %j', (value, add, remove) => {
    const checked = checkTicketCustomFields(all, [{ id: 2, value }], agent);
    expect(checked.additional_tags).toEqual(add);
    expect(checked.remove_tags).toEqual(remove);
  });

  it('names an unknown or inactive field and a bad value, all at once', () => {
    const details = detailsOf(() =>
      checkTicketCustomFields(
        all,
        [
          { id: 99, value: 'x' },
          { id: 4, value: 'x' },
          { id: 1, value: 'bogus' },
        ],
        agent,
      ),
    );
    expect(details.custom_fields?.map((detail) => detail.description)).toEqual([
      'Custom field 99: is not an active ticket field',
      'Custom field 4: is not an active ticket field',
      expect.stringContaining('Urgency (field 1): is not one of the options'),
    ]);
  });

  it('lets end-users set only fields visible and editable in the portal', () => {
    const portal = { portal: true, creating: false };
    expect(
      checkTicketCustomFields(all, [{ id: 1, value: 'urgency_low' }], portal).custom_fields,
    ).toHaveLength(1);
    for (const id of [2, 3]) {
      expect(
        detailsOf(() => checkTicketCustomFields(all, [{ id, value: true }], portal)).custom_fields?.[0]
          ?.description,
      ).toContain('cannot be set by end-users');
    }
  });

  it('requires portal-required fields when an end-user opens a request, and only then', () => {
    const create = { portal: true, creating: true };
    // The request's subject is checked with them (the system subject field is portal-required).
    const subject = { subject: 'Order problem' };
    expect(
      detailsOf(() => checkTicketCustomFields(all, [], create, subject)).custom_fields?.[0]?.description,
    ).toBe('Order (field 5): is required');
    expect(
      detailsOf(() => checkTicketCustomFields(all, [{ id: 5, value: '' }], create, subject)),
    ).toHaveProperty('custom_fields');
    expect(checkTicketCustomFields(all, [{ id: 5, value: 'A-1' }], create, subject).custom_fields).toEqual([
      { id: 5, value: 'A-1' },
    ]);
    expect(checkTicketCustomFields(all, [], agent).custom_fields).toEqual([]);
  });
});

describe('user and organization field values', () => {
  const plan = buildDirectoryField(
    {
      key: 'plan',
      type: 'dropdown',
      title: 'Plan',
      custom_field_options: [{ name: 'Enterprise' }, { name: 'Team' }],
    },
    { id: 1, now: NOW, newOptionIds: [1, 2] },
  );
  const seats = buildDirectoryField(
    { key: 'seats', type: 'integer', title: 'Seats' },
    { id: 2, now: NOW, newOptionIds: [] },
  );

  it('normalises valid values', () => {
    expect(checkDirectoryFieldValues([plan, seats], { plan: 'team', seats: '12' }, 'user_fields')).toEqual({
      plan: 'team',
      seats: 12,
    });
  });

  it('names unknown keys and wrong types under the given details key', () => {
    const details = detailsOf(() =>
      checkDirectoryFieldValues([plan, seats], { region: 'emea', seats: 'many' }, 'organization_fields'),
    );
    expect(details.organization_fields?.map((detail) => detail.description)).toEqual([
      'region: is not an active field',
      'seats (Seats): is not an integer',
    ]);
  });
});
