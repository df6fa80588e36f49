/**
 * The `satisfaction-ratings` route group: Zendesk's Satisfaction Ratings and Reasons APIs and our
 * CSAT summary extension (zendesk-api.md §7). node-zendesk returns these bodies whole.
 */
import { nowMs, nowTimestamp } from '../../shared/domain/clock.ts';
import { ForbiddenError } from '../../shared/domain/errors.ts';
import { apiVia } from '../../shared/domain/tickets/ticket.ts';
import { type ApiRequest, ok } from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import {
  satisfactionRatingBody,
  scoreFilterOf,
  timeRangeOf,
} from '../../shared/http/schemas/satisfaction-input.ts';
import {
  serializeSatisfactionRating,
  serializeSatisfactionReasons,
} from '../../shared/http/serializers/satisfaction-rating.ts';
import {
  listSatisfactionRatings,
  showSatisfactionRating,
  summarizeSatisfaction,
} from '../../shared/use-cases/csat/csat-results.ts';
import { rateTicket } from '../../shared/use-cases/csat/rate-ticket.ts';

const DAY_SECONDS = 86_400;
const SUMMARY_DEFAULT_DAYS = 30;

const serialize = (request: ApiRequest) => (rating: Parameters<typeof serializeSatisfactionRating>[0]) =>
  serializeSatisfactionRating(rating, request.publicUrl);

const nowSeconds = () => Math.floor(nowMs() / 1000);

export const handler = createRouteGroupHandler('satisfaction-ratings', {
  'GET /api/v2/satisfaction_ratings': async (request) => {
    const filter = {
      score: scoreFilterOf(request),
      ...timeRangeOf(request, { fromSeconds: 0, toSeconds: nowSeconds() }),
    };
    const page = await listSatisfactionRatings(filter, pageRequestOf(request));
    return ok(pageEnvelope(request, 'satisfaction_ratings', page, serialize(request)));
  },
  'GET /api/v2/satisfaction_ratings/summary': async (request) => {
    const to = nowSeconds();
    return ok({
      satisfaction_summary: await summarizeSatisfaction(
        timeRangeOf(request, { fromSeconds: to - SUMMARY_DEFAULT_DAYS * DAY_SECONDS, toSeconds: to }),
      ),
    });
  },
  'GET /api/v2/satisfaction_ratings/{id}': async (request) =>
    ok({ satisfaction_rating: serialize(request)(await showSatisfactionRating(idParam(request))) }),
  'GET /api/v2/satisfaction_reasons': async (request) =>
    ok({ reasons: serializeSatisfactionReasons(request.publicUrl) }),
  'POST /api/v2/tickets/{id}/satisfaction_rating': async (request) => {
    const caller = request.caller;
    if (!caller) throw new ForbiddenError();
    const { satisfaction_rating: input } = parseBody(request, satisfactionRatingBody);
    const rating = await rateTicket({
      ticketId: idParam(request),
      raterId: caller.userId,
      score: input.score,
      comment: input.comment ?? null,
      reasonCode: input.reason_code ?? null,
      via: apiVia(),
      now: nowTimestamp(),
    });
    return ok({ satisfaction_rating: serialize(request)(rating) });
  },
});
