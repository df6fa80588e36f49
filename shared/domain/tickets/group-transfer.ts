/**
 * Escalation as operators count it: one audit moving a ticket from one group to another (Tier 1 to
 * Tier 2, say). A first group (from none) is routing and a group removed (to none) is unassignment;
 * neither is a transfer.
 */

/** A field change as ticket events carry it: `previous` and `value` are whatever the audit recorded. */
export interface RecordedFieldChange {
  field: string;
  previous: unknown;
  value: unknown;
}

export interface GroupTransfer {
  fromGroupId: number;
  toGroupId: number;
}

const groupIdOf = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;

export const groupTransferIn = (changes: readonly RecordedFieldChange[]): GroupTransfer | null => {
  const change = changes.find((candidate) => candidate.field === 'group_id');
  if (!change) return null;
  const fromGroupId = groupIdOf(change.previous);
  const toGroupId = groupIdOf(change.value);
  if (fromGroupId === null || toGroupId === null || fromGroupId === toGroupId) return null;
  return { fromGroupId, toGroupId };
};
