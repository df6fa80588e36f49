/** NPS results and settings (our extension: Zendesk removed its native NPS in 2023). Admins only. */
import * as z from 'zod';
import { nowMs, toTimestamp } from '../../shared/domain/clock.ts';
import { InvalidRequestError, NotFoundError } from '../../shared/domain/errors.ts';
import { categoryOf, NPS_CATEGORIES } from '../../shared/domain/nps/nps-score.ts';
import { NPS_SCORES } from '../../shared/domain/nps/nps-survey-text.ts';
import { type ApiRequest, ok } from '../../shared/http/api-request.ts';
import { idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { serializeNpsResponse } from '../../shared/http/serializers/nps.ts';
import { getResponse, listResponsesPage, type ResponseRange } from '../../shared/store/nps/nps-responses.ts';
import { MAX_PAGE_SIZE } from '../../shared/store/pagination.ts';
import { showNpsSettings, updateNpsSettings } from '../../shared/use-cases/nps/manage-nps-settings.ts';
import { npsSummary } from '../../shared/use-cases/nps/nps-results.ts';

const epochSeconds = z.coerce.number().int().nonnegative().max(253_402_300_799);

const listQuery = z.object({
  start_time: epochSeconds.optional(),
  end_time: epochSeconds.optional(),
  /** A score 0–10 or a category (promoter, passive, detractor). */
  score: z.union([z.coerce.number().int().min(0).max(10), z.enum(NPS_CATEGORIES)]).optional(),
  segment: z.string().min(1).max(100).optional(),
  'page[size]': z.coerce.number().int().positive().optional(),
  'page[after]': z.string().min(1).optional(),
});

const queryOf = (request: ApiRequest) => {
  const parsed = listQuery.safeParse(Object.fromEntries(request.query));
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? 'query';
    throw new InvalidRequestError(`${field} is not valid`);
  }
  return parsed.data;
};

/** Unix seconds, inclusive; the range defaults to everything up to now. */
const rangeOf = (query: z.infer<typeof listQuery>): ResponseRange => {
  const to = query.end_time ?? Math.floor(nowMs() / 1000);
  const from = query.start_time ?? 0;
  if (from > to) throw new InvalidRequestError('start_time must not be after end_time');
  return { from: toTimestamp(new Date(from * 1000)), to: toTimestamp(new Date(to * 1000)) };
};

const scoresOf = (score: z.infer<typeof listQuery>['score']): number[] | undefined => {
  if (score === undefined) return undefined;
  return typeof score === 'number' ? [score] : NPS_SCORES.filter((value) => categoryOf(value) === score);
};

const settingsBody = z.object({ nps_settings: z.record(z.string(), z.unknown()) });

export const handler = createRouteGroupHandler('nps', {
  'GET /api/v2/nps/summary': async (request) => {
    const query = queryOf(request);
    return ok({ nps_summary: await npsSummary(rangeOf(query), query.segment) });
  },
  'GET /api/v2/nps/responses': async (request) => {
    const query = queryOf(request);
    const size = Math.min(query['page[size]'] ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const page = await listResponsesPage(
      rangeOf(query),
      { scores: scoresOf(query.score) },
      { size, after: query['page[after]'] },
    );
    const next = new URLSearchParams(request.query);
    if (page.next) next.set('page[after]', page.next);
    return ok({
      responses: page.responses.map((response) => serializeNpsResponse(response, request.publicUrl)),
      meta: { has_more: page.next !== null, after_cursor: page.next, before_cursor: null },
      links: {
        prev: null,
        next: page.next ? `${request.publicUrl}${request.path}.json?${next.toString()}` : null,
      },
    });
  },
  'GET /api/v2/nps/responses/{id}': async (request) => {
    const response = await getResponse(idParam(request));
    if (!response) throw new NotFoundError();
    return ok({ response: serializeNpsResponse(response, request.publicUrl) });
  },
  'GET /api/v2/nps/settings': async () => ok({ nps_settings: await showNpsSettings() }),
  'PUT /api/v2/nps/settings': async (request) =>
    ok({ nps_settings: await updateNpsSettings(parseBody(request, settingsBody).nps_settings) }),
});
