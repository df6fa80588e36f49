/** Timestamps as Zendesk writes them: ISO 8601 UTC to the second (`2026-11-25T08:17:09Z`). */
export const toTimestamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const nowTimestamp = (): string => toTimestamp(new Date());
