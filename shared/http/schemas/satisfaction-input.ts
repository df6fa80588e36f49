/** Satisfaction rating input: the API body, the survey page's form, and the list and summary queries. */
import * as z from 'zod';
import { toTimestamp } from '../../domain/clock.ts';
import { RATED_SCORES, REASON_CODES } from '../../domain/csat/satisfaction.ts';
import { RATING_SCORE_FILTERS } from '../../domain/csat/satisfaction-rating.ts';
import { InvalidRequestError } from '../../domain/errors.ts';
import type { ApiRequest } from '../api-request.ts';

const MAX_COMMENT_LENGTH = 10_000;
const reasonCode = z.coerce
  .number()
  .int()
  .refine((code) => REASON_CODES.includes(code), { message: 'Reason code: is not a known reason' });

/** POST /tickets/{id}/satisfaction_rating: only good or bad (zendesk-api.md §7). */
export const satisfactionRatingBody = z.object({
  satisfaction_rating: z.object({
    score: z.enum(RATED_SCORES, { message: 'Score: must be good or bad' }),
    comment: z.string().max(MAX_COMMENT_LENGTH).nullish(),
    reason_code: reasonCode.nullish(),
  }),
});

/** The survey page's form: every field arrives as a string; an empty reason is none. */
export const surveyAnswerForm = z.object({
  score: z.enum(RATED_SCORES),
  comment: z.string().max(MAX_COMMENT_LENGTH).optional().default(''),
  reason_code: z
    .union([z.literal('').transform(() => null), reasonCode])
    .optional()
    .default(null),
});

const epochSeconds = z.coerce.number().int().nonnegative().max(253_402_300_799);

const timeParam = (request: ApiRequest, name: string, fallback: number): string => {
  const raw = request.query.get(name);
  if (raw === null || raw === '') return toTimestamp(new Date(fallback * 1000));
  const parsed = epochSeconds.safeParse(raw);
  if (!parsed.success) throw new InvalidRequestError(`${name} must be a Unix epoch time in seconds`);
  return toTimestamp(new Date(parsed.data * 1000));
};

/** `start_time`/`end_time` (epoch seconds, both included) as ISO instants; defaults are the caller's. */
export const timeRangeOf = (
  request: ApiRequest,
  defaults: { fromSeconds: number; toSeconds: number },
): { from: string; to: string } => {
  const range = {
    from: timeParam(request, 'start_time', defaults.fromSeconds),
    to: timeParam(request, 'end_time', defaults.toSeconds),
  };
  if (range.from > range.to) throw new InvalidRequestError('start_time must not be after end_time');
  return range;
};

const scoreFilter = z.enum(RATING_SCORE_FILTERS);

/** `score=`: the received family; offered and unoffered surveys are not listed as ratings here. */
export const scoreFilterOf = (request: ApiRequest) => {
  const raw = request.query.get('score');
  if (raw === null || raw === '') return undefined;
  const parsed = scoreFilter.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidRequestError(`score must be one of ${RATING_SCORE_FILTERS.join(', ')}`);
  }
  return parsed.data;
};
