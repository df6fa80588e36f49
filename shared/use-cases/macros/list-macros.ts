/** The macro lists (`/macros`, `/macros/active`, `/macros/search`) as the caller may see them, with usage. */
import type { MacroRecord } from '../../domain/macros/macro.ts';
import {
  filterMacros,
  isUsageSort,
  type MacroFilters,
  type MacroSort,
  sortMacros,
} from '../../domain/macros/macro-list.ts';
import { type MacroUsage, macroUsage } from '../../domain/macros/macro-usage.ts';
import type { Caller } from '../../http/caller.ts';
import { getMacroUsageDays } from '../../store/macros.ts';
import { listVisibleMacros } from './manage-macros.ts';

/** Usage of each macro: one small Query per macro (see macro-usage.ts), run side by side. */
export const macroUsages = async (ids: readonly number[], now: string): Promise<Map<number, MacroUsage>> =>
  new Map(
    await Promise.all(
      ids.map(async (id) => [id, macroUsage(await getMacroUsageDays(id, now), now)] as const),
    ),
  );

export const listMacros = async (
  caller: Caller,
  options: MacroFilters & { sort: MacroSort; order?: 'asc' | 'desc' | undefined },
  now: string,
): Promise<MacroRecord[]> => {
  const macros = filterMacros(await listVisibleMacros(caller), options, caller.userId);
  // Only a usage sort needs every macro's usage; an `include` needs just the page's (macroUsages).
  const usage = isUsageSort(options.sort)
    ? await macroUsages(
        macros.map((macro) => macro.id),
        now,
      )
    : undefined;
  return sortMacros(macros, options.sort, options.order, usage);
};
