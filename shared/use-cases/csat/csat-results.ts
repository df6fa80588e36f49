/**
 * Reading CSAT results: the rating list (Zendesk's filters) and the summary over a time range. The
 * summary reads one offer item per survey offered in the range from the byUpdated index (kind
 * csat_offer, offer time order) and aggregates in memory: its cost grows with the range's surveys, not
 * with the account's tickets.
 */
import { csatSummary } from '../../domain/csat/csat-summary.ts';
import type { RatingScoreFilter } from '../../domain/csat/satisfaction-rating.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { offersBetween } from '../../store/csat/csat-surveys.ts';
import { getRating, listRatings } from '../../store/csat/satisfaction-ratings.ts';
import type { PageRequest } from '../../store/pagination.ts';

export interface TimeRange {
  from: string;
  to: string;
}

export const listSatisfactionRatings = (
  filter: { score?: RatingScoreFilter | undefined } & TimeRange,
  page: PageRequest,
) => listRatings(filter, page);

export const showSatisfactionRating = async (id: number) => {
  const rating = await getRating(id);
  if (!rating) throw new NotFoundError();
  return rating;
};

export const summarizeSatisfaction = async (range: TimeRange) => ({
  start_time: range.from,
  end_time: range.to,
  ...csatSummary(
    (await offersBetween(range.from, range.to)).flatMap((offer) =>
      offer.offered_at ? [{ ...offer, offered_at: offer.offered_at }] : [],
    ),
  ),
});
