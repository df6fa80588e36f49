/** Views as stored and served (Zendesk's ViewObject, zendesk-api.md §5.1): saved ticket queries. */
import type { Conditions } from '../rules/conditions.ts';

export type SortOrder = 'asc' | 'desc';

/** A column id is one of Zendesk's column names (`status`, `requester`) or a ticket field id. */
export type ColumnId = string | number;

export interface ViewColumn {
  id: ColumnId;
  title: string;
}

export interface ViewExecution {
  columns: ViewColumn[];
  group_by: ColumnId | null;
  group_order: SortOrder;
  sort_by: ColumnId;
  sort_order: SortOrder;
}

/** Who may see a view besides admins; null means every agent. */
export type ViewRestriction = { type: 'Group'; ids: number[] } | { type: 'User'; id: number };

export interface ViewRecord {
  id: number;
  title: string;
  description: string | null;
  active: boolean;
  /** Display order; ties (which reorder never leaves) fall back to id order. */
  position: number;
  /** Seeded by Relaydesk rather than created by an admin. */
  default: boolean;
  restriction: ViewRestriction | null;
  conditions: Conditions;
  execution: ViewExecution;
  created_at: string;
  updated_at: string;
  version: number;
}

export const byPosition = (a: ViewRecord, b: ViewRecord): number => a.position - b.position || a.id - b.id;

/** The viewer's side of the restriction check: who they are and which groups they belong to. */
export interface Viewer {
  userId: number;
  isAdmin: boolean;
  groupIds: readonly number[];
}

/** Admins see every view; agents see unrestricted views, their own, and their groups'. */
export const canSeeView = (view: ViewRecord, viewer: Viewer): boolean => {
  const restriction = view.restriction;
  if (viewer.isAdmin || restriction === null) return true;
  if (restriction.type === 'User') return restriction.id === viewer.userId;
  return restriction.ids.some((id) => viewer.groupIds.includes(id));
};
