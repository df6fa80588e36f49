/**
 * Net Promoter Score arithmetic. A 0–10 answer puts the person in one of three categories (promoter
 * 9–10, passive 7–8, detractor 0–6); NPS is the promoters' percentage minus the detractors', from
 * −100 to 100. Percentages are rounded to one decimal half away from zero, so −33.35 and 33.35 are
 * mirror images; a set with no answers has no score (null), not zero.
 */

export const NPS_CATEGORIES = ['promoter', 'passive', 'detractor'] as const;
export type NpsCategory = (typeof NPS_CATEGORIES)[number];

export const categoryOf = (score: number): NpsCategory => {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`Not an NPS score: ${score}`);
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
};

export interface NpsTally {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  promoter_percent: number | null;
  passive_percent: number | null;
  detractor_percent: number | null;
  /** %promoters − %detractors; null when there are no responses. */
  nps: number | null;
}

/** One decimal, half away from zero. */
export const roundPercent = (value: number): number => {
  const rounded = Math.round(Math.abs(value) * 10 + Number.EPSILON * 10) / 10;
  return value < 0 ? -rounded : rounded;
};

const percent = (part: number, total: number): number | null =>
  total === 0 ? null : roundPercent((part * 100) / total);

export const tallyScores = (scores: readonly number[]): NpsTally => {
  const counts = { promoter: 0, passive: 0, detractor: 0 };
  for (const score of scores) counts[categoryOf(score)] += 1;
  const total = scores.length;
  return {
    responses: total,
    promoters: counts.promoter,
    passives: counts.passive,
    detractors: counts.detractor,
    promoter_percent: percent(counts.promoter, total),
    passive_percent: percent(counts.passive, total),
    detractor_percent: percent(counts.detractor, total),
    // From the counts, not the rounded percentages, so rounding happens once.
    nps: percent(counts.promoter - counts.detractor, total),
  };
};
