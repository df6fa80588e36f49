/**
 * Records are stored as they are plus their key attributes. Index keys (`gsi_*`, `kind`) are derived
 * from the record on every write, and omitted when the record has no value, which keeps indexes sparse
 * (DynamoDB rejects null index keys).
 */
export const KEY_ATTRIBUTES = ['pk', 'sk'] as const;

export type Item = Record<string, unknown>;

export const toItem = <T extends object>(
  record: T,
  keys: { pk: string; sk: string; kind?: string },
  indexKeys: Record<string, string | number | null | undefined> = {},
): Item => {
  const item: Item = { ...record, ...keys };
  for (const [name, value] of Object.entries(indexKeys)) {
    if (value !== null && value !== undefined) item[name] = value;
  }
  return item;
};

/** The stored record without its key and index attributes. */
export const fromItem = <T>(item: Item): T => {
  const record: Item = {};
  for (const [name, value] of Object.entries(item)) {
    if (name === 'pk' || name === 'sk' || name === 'kind' || name.startsWith('gsi_')) continue;
    record[name] = value;
  }
  return record as T;
};
