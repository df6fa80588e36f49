/**
 * `user_fields` / `organization_fields` values checked against the active user or organization field
 * definitions (keyed by `key`): the normalised values, or one 422 naming every bad key.
 */
import { type FieldError, ValidationError } from '../errors.ts';
import type { DirectoryField } from './field-definition.ts';
import { validateFieldValue } from './field-value.ts';

export const checkDirectoryFieldValues = (
  definitions: readonly DirectoryField[],
  values: Readonly<Record<string, unknown>>,
  detailsKey: 'user_fields' | 'organization_fields',
): Record<string, unknown> => {
  const active = new Map(definitions.filter((field) => field.active).map((field) => [field.key, field]));
  const problems: FieldError[] = [];
  const checked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const field = active.get(key);
    if (!field) {
      problems.push({ description: `${key}: is not an active field`, error: 'InvalidValue' });
      continue;
    }
    const result = validateFieldValue(field, value);
    if (result.ok) checked[key] = result.value;
    else problems.push({ description: `${key} (${field.title}): ${result.problem}`, error: 'InvalidValue' });
  }
  if (problems.length) throw new ValidationError({ [detailsKey]: problems });
  return checked;
};
