/**
 * A ticket's satisfaction (CSAT) state as Zendesk models it (zendesk-api.md §7): `offered` once a
 * survey went out (or a rule offered one), `good`/`bad` once the requester answered, with an optional
 * comment and, for bad, a reason. Triggers compare a finer value that folds the comment in
 * (`good_with_comment`…), which is what the ticket audits as `satisfaction_score`.
 */
import type { SatisfactionScore } from '../rules/rule-context.ts';

export const RATED_SCORES = ['good', 'bad'] as const;
export type RatedScore = (typeof RATED_SCORES)[number];
export type TicketSatisfactionScore = 'offered' | 'unoffered' | RatedScore;

/** Zendesk's system reason codes (legacy CSAT); reasons apply to bad ratings only. */
export const SATISFACTION_REASONS = [
  { reason_code: 0, value: 'No reason provided' },
  { reason_code: 5, value: 'The issue took too long to resolve' },
  { reason_code: 6, value: 'The issue was not resolved' },
  { reason_code: 7, value: "The agent's knowledge is unsatisfactory" },
  { reason_code: 8, value: "The agent's attitude is unsatisfactory" },
  { reason_code: 100, value: 'Some other reason' },
] as const;
export const REASON_CODES: readonly number[] = SATISFACTION_REASONS.map((reason) => reason.reason_code);
export const NO_REASON = 0;

export interface TicketSatisfaction {
  score: TicketSatisfactionScore;
  comment: string | null;
  reason_code: number | null;
  /** The rating record's id once rated. */
  id: number | null;
}

export const UNOFFERED: TicketSatisfaction = {
  score: 'unoffered',
  comment: null,
  reason_code: null,
  id: null,
};

/** The value rules compare and the audit records: the score, with the comment folded in when rated. */
export const ruleSatisfactionScore = (satisfaction: TicketSatisfaction | undefined): SatisfactionScore => {
  if (!satisfaction) return 'unoffered';
  const { score, comment } = satisfaction;
  if (score === 'good' || score === 'bad') return comment ? `${score}_with_comment` : score;
  return score;
};

/** Offering never downgrades an answer: a rated ticket stays rated when a rule offers a survey again. */
export const offeredSatisfaction = (current: TicketSatisfaction | undefined): TicketSatisfaction =>
  current && (current.score === 'good' || current.score === 'bad')
    ? current
    : { ...UNOFFERED, score: 'offered' };
