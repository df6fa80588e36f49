/**
 * CSAT results: CSAT % = good / (good + bad), response rate = rated / offered, overall and by group,
 * assignee, organization and ISO week of the offer. Percentages are null where nothing was answered
 * (or offered): no data is not 0 %.
 */
import type { RatedScore } from './satisfaction.ts';

export interface CsatOffer {
  offered_at: string;
  group_id?: number | null;
  assignee_id?: number | null;
  organization_id?: number | null;
  score?: RatedScore;
}

export interface CsatFigures {
  offered: number;
  good: number;
  bad: number;
  /** good / (good + bad), in percent, one decimal. */
  csat_percent: number | null;
  /** (good + bad) / offered, in percent, one decimal. */
  response_rate_percent: number | null;
}

const percent = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;

export const csatFigures = (offers: readonly CsatOffer[]): CsatFigures => {
  const good = offers.filter((offer) => offer.score === 'good').length;
  const bad = offers.filter((offer) => offer.score === 'bad').length;
  return {
    offered: offers.length,
    good,
    bad,
    csat_percent: percent(good, good + bad),
    response_rate_percent: percent(good + bad, offers.length),
  };
};

/** `2026-W05`: the ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday). */
export const isoWeek = (instant: string): string => {
  const date = new Date(instant);
  const day = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day + 3));
  // The week's Thursday decides its year; its day of year decides the week number.
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - yearStart) / 86_400_000 / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
};

const groupedBy = <K extends string | number>(
  offers: readonly CsatOffer[],
  keyOf: (offer: CsatOffer) => K | null | undefined,
  name: string,
) => {
  const groups = new Map<K, CsatOffer[]>();
  for (const offer of offers) {
    const key = keyOf(offer);
    if (key === null || key === undefined) continue;
    groups.set(key, [...(groups.get(key) ?? []), offer]);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, members]) => ({ [name]: key, ...csatFigures(members) }));
};

export const csatSummary = (offers: readonly CsatOffer[]) => ({
  ...csatFigures(offers),
  by_group: groupedBy(offers, (offer) => offer.group_id, 'group_id'),
  by_assignee: groupedBy(offers, (offer) => offer.assignee_id, 'assignee_id'),
  by_organization: groupedBy(offers, (offer) => offer.organization_id, 'organization_id'),
  by_week: groupedBy(offers, (offer) => isoWeek(offer.offered_at), 'week'),
});
