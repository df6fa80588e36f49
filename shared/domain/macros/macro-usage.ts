/**
 * How often a macro was applied in the last hour, day, week and month (Zendesk's usage_1h, usage_24h,
 * usage_7d, usage_30d). Uses are counted per clock hour, one stored item per macro and day holding that
 * day's 24 hourly counts: a use is one atomic ADD on a tiny item, and the 30-day figures are one Query
 * of at most 31 small items. A single counter on the macro could not answer sliding windows, and one
 * item per hour would make the monthly figure a 720-item read.
 *
 * A window counts the hours that began inside it, so it never counts a use older than the window and
 * may miss uses from the part of the hour just before it (usage_1h is "this clock hour").
 */

export const USAGE_WINDOWS = { usage_1h: 1, usage_24h: 24, usage_7d: 7 * 24, usage_30d: 30 * 24 } as const;
export type UsageWindow = keyof typeof USAGE_WINDOWS;
export type MacroUsage = Record<UsageWindow, number>;

const HOUR_MS = 60 * 60 * 1000;

/** The stored bucket of an instant: its UTC day and the hour's attribute name (`h00`..`h23`). */
export const usageBucketOf = (at: string): { day: string; hour: string } => {
  const iso = new Date(at).toISOString();
  return { day: iso.slice(0, 10), hour: `h${iso.slice(11, 13)}` };
};

/** The first day whose counts can still fall inside the longest window; older days can go. */
export const oldestUsageDay = (now: string): string =>
  new Date(Date.parse(now) - USAGE_WINDOWS.usage_30d * HOUR_MS).toISOString().slice(0, 10);

/** A day's stored counts: `{ h09: 3, h10: 1 }`. */
export interface UsageDay {
  day: string;
  hours: Readonly<Record<string, number>>;
}

export const macroUsage = (days: readonly UsageDay[], now: string): MacroUsage => {
  const nowMs = Date.parse(now);
  const usage: MacroUsage = { usage_1h: 0, usage_24h: 0, usage_7d: 0, usage_30d: 0 };
  for (const { day, hours } of days) {
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    for (const [hour, count] of Object.entries(hours)) {
      const hourStart = dayStart + Number(hour.slice(1)) * HOUR_MS;
      for (const [window, length] of Object.entries(USAGE_WINDOWS) as [UsageWindow, number][]) {
        if (hourStart <= nowMs && hourStart > nowMs - length * HOUR_MS) usage[window] += count;
      }
    }
  }
  return usage;
};
