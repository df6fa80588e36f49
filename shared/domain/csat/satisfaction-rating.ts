/**
 * A requester's CSAT answer for one solve of a ticket. Group, assignee and organization are snapshots
 * taken when the rating is first recorded (Zendesk's "at the time of rating"), so later reassignment
 * does not move a rating to another segment.
 */
import type { RatedScore } from './satisfaction.ts';

export interface SatisfactionRating {
  id: number;
  ticket_id: number;
  requester_id: number;
  assignee_id: number | null;
  group_id: number | null;
  organization_id: number | null;
  /** The solve the rating answers: one rating per solve, changed in place. */
  solve_audit_id: number;
  score: RatedScore;
  comment: string | null;
  reason_code: number | null;
  created_at: string;
  updated_at: string;
}

/** Score filters of GET /satisfaction_ratings (received = any answer). */
export const RATING_SCORE_FILTERS = [
  'received',
  'received_with_comment',
  'received_without_comment',
  'good',
  'good_with_comment',
  'good_without_comment',
  'bad',
  'bad_with_comment',
  'bad_without_comment',
] as const;
export type RatingScoreFilter = (typeof RATING_SCORE_FILTERS)[number];

/** What a score filter asks for: a score (none for `received*`) and whether a comment must be there. */
export const parseScoreFilter = (
  filter: RatingScoreFilter,
): { score?: RatedScore; withComment?: boolean } => {
  const [score, commentClause] = filter.split(/_(?=with)/) as [string, string | undefined];
  return {
    ...(score === 'received' ? {} : { score: score as RatedScore }),
    ...(commentClause ? { withComment: commentClause === 'with_comment' } : {}),
  };
};
