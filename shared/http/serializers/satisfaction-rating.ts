/** Satisfaction ratings and reasons on the wire, as Zendesk's SatisfactionRatingObject and reasons. */

import { SATISFACTION_REASONS, type TicketSatisfaction } from '../../domain/csat/satisfaction.ts';
import type { SatisfactionRating } from '../../domain/csat/satisfaction-rating.ts';

const reasonText = (code: number | null): string | undefined =>
  SATISFACTION_REASONS.find((reason) => reason.reason_code === code)?.value;

/** `ticket.satisfaction_rating`: the state, plus the rating's id, comment and reason once rated. */
export const serializeTicketSatisfaction = (satisfaction: TicketSatisfaction | undefined) => {
  if (!satisfaction || satisfaction.id === null) return { score: satisfaction?.score ?? 'unoffered' };
  const reason = reasonText(satisfaction.reason_code);
  return {
    id: satisfaction.id,
    score: satisfaction.score,
    comment: satisfaction.comment ?? '',
    ...(reason && satisfaction.score === 'bad' ? { reason } : {}),
  };
};

export const serializeSatisfactionRating = (rating: SatisfactionRating, publicUrl: string) => {
  const reason = rating.score === 'bad' ? reasonText(rating.reason_code) : undefined;
  return {
    url: `${publicUrl}/api/v2/satisfaction_ratings/${rating.id}.json`,
    id: rating.id,
    assignee_id: rating.assignee_id,
    group_id: rating.group_id,
    requester_id: rating.requester_id,
    ticket_id: rating.ticket_id,
    score: rating.score,
    comment: rating.comment ?? '',
    ...(reason ? { reason, reason_id: rating.reason_code ?? 0 } : {}),
    created_at: rating.created_at,
    updated_at: rating.updated_at,
  };
};

/** Reasons have no records of their own here: the reason code is the id. */
export const serializeSatisfactionReasons = (publicUrl: string) =>
  SATISFACTION_REASONS.map((reason) => ({
    id: reason.reason_code,
    url: `${publicUrl}/api/v2/satisfaction_reasons/${reason.reason_code}.json`,
    reason_code: reason.reason_code,
    value: reason.value,
    raw_value: reason.value,
  }));
