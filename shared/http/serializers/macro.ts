/** Macros and macro results on the wire: Zendesk's MacroObject and MacroApplyTicketResponse. */
import type { MacroComment } from '../../domain/macros/apply-macro.ts';
import type { MacroRecord } from '../../domain/macros/macro.ts';
import type { MacroUsage, UsageWindow } from '../../domain/macros/macro-usage.ts';

export const macroUrl = (publicUrl: string, id: number): string => `${publicUrl}/api/v2/macros/${id}.json`;

/** `usage` holds the windows the client asked for with `include=usage_7d,...`. */
export const serializeMacro = (
  macro: MacroRecord,
  publicUrl: string,
  usage?: { windows: readonly UsageWindow[]; counts: MacroUsage | undefined },
): Record<string, unknown> => ({
  id: macro.id,
  url: macroUrl(publicUrl, macro.id),
  title: macro.title,
  description: macro.description,
  active: macro.active,
  position: macro.position,
  default: macro.default,
  restriction: macro.restriction,
  actions: macro.actions,
  created_at: macro.created_at,
  updated_at: macro.updated_at,
  ...Object.fromEntries((usage?.windows ?? []).map((window) => [window, usage?.counts?.[window] ?? 0])),
});

/** Zendesk's channel-scoped body: the same text for every channel. */
export const serializeMacroComment = (comment: MacroComment) => ({
  body: comment.body,
  ...(comment.html_body !== undefined ? { html_body: comment.html_body } : {}),
  public: comment.public,
  scoped_body: [['channel:all', comment.body]],
});
