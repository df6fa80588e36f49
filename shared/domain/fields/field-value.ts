/**
 * One custom field value checked against its definition: the normalised value to store, or what is
 * wrong with it. `null` (and an empty string or list) clears the field, whatever its type.
 */
import type { FieldRules } from './field-definition.ts';
import { compileFieldRegexp, MAX_MATCHED_VALUE_LENGTH } from './field-regexp.ts';

export type FieldValueResult = { ok: true; value: unknown } | { ok: false; problem: string };

const valid = (value: unknown): FieldValueResult => ({ ok: true, value });
const invalid = (problem: string): FieldValueResult => ({ ok: false, problem });

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

const isRealDate = (text: string): boolean => {
  const match = DATE.exec(text);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

const integerValue = (value: unknown): FieldValueResult => {
  const number = typeof value === 'string' && INTEGER.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number)
    ? valid(number)
    : invalid('is not an integer');
};

const decimalValue = (value: unknown): FieldValueResult => {
  const number = typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? valid(number) : invalid('is not a number');
};

export const validateFieldValue = (field: FieldRules, value: unknown): FieldValueResult => {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    return valid(null);
  }
  const optionValues = field.custom_field_options.map((option) => option.value);
  switch (field.type) {
    case 'text':
    case 'textarea':
      return typeof value === 'string' ? valid(value) : invalid('is not text');
    case 'checkbox':
      return typeof value === 'boolean' ? valid(value) : invalid('is not true or false');
    case 'date':
      return typeof value === 'string' && isRealDate(value)
        ? valid(value)
        : invalid('is not a date (YYYY-MM-DD)');
    case 'integer':
      return integerValue(value);
    case 'decimal':
      return decimalValue(value);
    case 'regexp': {
      if (typeof value !== 'string') return invalid('is not text');
      const compiled = compileFieldRegexp(field.regexp_for_validation ?? '');
      if (!compiled.ok) return invalid('cannot be checked: the field has no usable regexp');
      if (value.length > MAX_MATCHED_VALUE_LENGTH || !compiled.regexp.test(value)) {
        return invalid('does not match the required format');
      }
      return valid(value);
    }
    case 'tagger':
    case 'dropdown':
      return typeof value === 'string' && optionValues.includes(value)
        ? valid(value)
        : invalid(`is not one of the options (${optionValues.join(', ')})`);
    case 'multiselect': {
      const values = Array.isArray(value) ? value : [value];
      const unknown = values.filter((item) => typeof item !== 'string' || !optionValues.includes(item));
      if (unknown.length)
        return invalid(`holds values that are not options (${unknown.map(String).join(', ')})`);
      return valid([...new Set(values as string[])]);
    }
  }
};
