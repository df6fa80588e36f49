/** Zendesk's macro list options: filters (`active`, `access`, `group_id`, search `query`) and sorting. */
import { hasAccess, isForGroup, type MacroAccess, type MacroRecord } from './macro.ts';
import type { MacroUsage, UsageWindow } from './macro-usage.ts';

export const MACRO_SORTS = [
  'alphabetical',
  'position',
  'created_at',
  'updated_at',
  'usage_1h',
  'usage_24h',
  'usage_7d',
  'usage_30d',
] as const;
export type MacroSort = (typeof MACRO_SORTS)[number];

export interface MacroFilters {
  active?: boolean | undefined;
  access?: MacroAccess | undefined;
  groupId?: number | undefined;
  /** Case-insensitive part of the title. */
  query?: string | undefined;
}

export const filterMacros = (
  macros: readonly MacroRecord[],
  filters: MacroFilters,
  viewerId: number,
): MacroRecord[] => {
  const query = filters.query?.trim().toLowerCase();
  return macros.filter(
    (macro) =>
      (filters.active === undefined || macro.active === filters.active) &&
      (filters.access === undefined || hasAccess(macro, filters.access, viewerId)) &&
      (filters.groupId === undefined || isForGroup(macro, filters.groupId)) &&
      (!query || macro.title.toLowerCase().includes(query)),
  );
};

export const isUsageSort = (sort: MacroSort): sort is UsageWindow => sort.startsWith('usage_');

/** Zendesk: ascending by default for alphabetical and position, descending for the others. Ties by id. */
export const sortMacros = (
  macros: readonly MacroRecord[],
  sort: MacroSort,
  order: 'asc' | 'desc' | undefined,
  usage: ReadonlyMap<number, MacroUsage> = new Map(),
): MacroRecord[] => {
  const descending = (order ?? (sort === 'alphabetical' || sort === 'position' ? 'asc' : 'desc')) === 'desc';
  const key = (macro: MacroRecord): string | number => {
    if (sort === 'alphabetical') return macro.title.toLowerCase();
    if (isUsageSort(sort)) return usage.get(macro.id)?.[sort] ?? 0;
    return macro[sort];
  };
  return [...macros].sort((a, b) => {
    const [left, right] = [key(a), key(b)];
    const byKey = left < right ? -1 : left > right ? 1 : 0;
    return (descending ? -byKey : byKey) || a.id - b.id;
  });
};
