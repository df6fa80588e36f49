/**
 * Macros as stored and served (Zendesk's MacroObject), and who may see and manage them. A macro with
 * no restriction is shared with every agent; one restricted to a user is that agent's personal macro;
 * one restricted to groups is for their members. Admins see and manage all of them.
 */
import type { Role } from '../../../infra/topology.ts';
import type { Action } from '../rules/actions.ts';

export type MacroRestriction = { type: 'User'; id: number } | { type: 'Group'; id: number; ids: number[] };

export interface MacroRecord {
  id: number;
  title: string;
  description: string | null;
  active: boolean;
  /** Display order in agents' macro menus. */
  position: number;
  /** Seeded by Relaydesk rather than created by someone. */
  default: boolean;
  restriction: MacroRestriction | null;
  actions: Action[];
  created_at: string;
  updated_at: string;
  version: number;
}

export interface MacroViewer {
  userId: number;
  role: Role;
  /** The groups the viewer is a member of (only read for agents). */
  groupIds: readonly number[];
}

export const canSeeMacro = (viewer: MacroViewer, macro: MacroRecord): boolean => {
  if (viewer.role === 'admin' || macro.restriction === null) return true;
  if (macro.restriction.type === 'User') return macro.restriction.id === viewer.userId;
  return macro.restriction.ids.some((id) => viewer.groupIds.includes(id));
};

/** Agents manage only their personal macros (Zendesk's "manage-personal" agent permission). */
export const canManageMacro = (
  manager: Pick<MacroViewer, 'userId' | 'role'>,
  restriction: MacroRestriction | null,
): boolean => manager.role === 'admin' || (restriction?.type === 'User' && restriction.id === manager.userId);

/** Zendesk's `access` filter: `personal` (the viewer's own), `shared` (not personal), `account` (everyone's). */
export const MACRO_ACCESS = ['personal', 'agents', 'shared', 'account'] as const;
export type MacroAccess = (typeof MACRO_ACCESS)[number];

export const hasAccess = (macro: MacroRecord, access: MacroAccess, viewerId: number): boolean => {
  switch (access) {
    case 'personal':
      return macro.restriction?.type === 'User' && macro.restriction.id === viewerId;
    case 'agents':
      return macro.restriction?.type === 'User';
    case 'shared':
      return macro.restriction?.type !== 'User';
    case 'account':
      return macro.restriction === null;
  }
};

export const isForGroup = (macro: MacroRecord, groupId: number): boolean =>
  macro.restriction?.type === 'Group' && macro.restriction.ids.includes(groupId);
