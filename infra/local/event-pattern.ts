/**
 * EventBridge pattern matching for the subset the topology uses: every key in the pattern must match;
 * a list matches when the event's value (or, for an array value, any of its elements) equals one entry
 * or starts with a `{prefix}` entry; a nested object matches the nested part of the event.
 */
export class UnsupportedPatternError extends Error {}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const matchesEntry = (entry: unknown, value: unknown): boolean => {
  if (isPlainObject(entry)) {
    const operators = Object.keys(entry);
    if (operators.length === 1 && typeof entry.prefix === 'string') {
      return typeof value === 'string' && value.startsWith(entry.prefix);
    }
    throw new UnsupportedPatternError(
      `Event pattern operator ${JSON.stringify(entry)} is not supported by the local event fabric`,
    );
  }
  return entry === value;
};

const matchesValue = (entries: readonly unknown[], value: unknown): boolean => {
  const values = Array.isArray(value) ? value : [value];
  return values.some((candidate) => entries.some((entry) => matchesEntry(entry, candidate)));
};

export const matchesPattern = (pattern: unknown, event: unknown): boolean => {
  if (!isPlainObject(pattern)) throw new UnsupportedPatternError('An event pattern must be an object');
  if (!isPlainObject(event)) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    if (!(key in event)) return false;
    const actual = event[key];
    if (Array.isArray(expected)) return matchesValue(expected, actual);
    if (isPlainObject(expected)) return matchesPattern(expected, actual);
    throw new UnsupportedPatternError(`Event pattern key ${key} must hold a list or an object`);
  });
};
