/**
 * NPS results over a time range (GET /api/v2/nps/summary): the score and counts, the same by one
 * segment (a user field or, failing that, an organization field, as snapshotted when the person
 * answered), and the trend by calendar month (UTC). Reads every response answered in the range, once,
 * through the response index; the cost grows with the responses in the range, not with the account.
 */
import { type NpsTally, tallyScores } from '../../domain/nps/nps-score.ts';
import { type NpsResponse, type ResponseRange, readResponses } from '../../store/nps/nps-responses.ts';

export const NO_SEGMENT_VALUE = '(none)';

export interface NpsSummary {
  start_time: string;
  end_time: string;
  overall: NpsTally;
  segment: { key: string; values: ({ value: string } & NpsTally)[] } | null;
  trend: ({ month: string } & NpsTally)[];
}

/** The person's value for `key` when they answered: their own field first, then their organization's. */
export const segmentValue = (response: NpsResponse, key: string): string => {
  const value = response.user_fields[key] ?? response.organization_fields[key];
  return value === undefined || value === null || value === '' ? NO_SEGMENT_VALUE : String(value);
};

const groupScores = (responses: readonly NpsResponse[], keyOf: (response: NpsResponse) => string) => {
  const groups = new Map<string, number[]>();
  for (const response of responses) {
    const key = keyOf(response);
    const scores = groups.get(key);
    if (scores) scores.push(response.score);
    else groups.set(key, [response.score]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
};

export const summarizeResponses = (
  responses: readonly NpsResponse[],
  range: ResponseRange,
  segmentKey: string | undefined,
): NpsSummary => ({
  start_time: range.from,
  end_time: range.to,
  overall: tallyScores(responses.map((response) => response.score)),
  segment: segmentKey
    ? {
        key: segmentKey,
        values: groupScores(responses, (response) => segmentValue(response, segmentKey)).map(
          ([value, scores]) => ({ value, ...tallyScores(scores) }),
        ),
      }
    : null,
  trend: groupScores(responses, (response) => response.created_at.slice(0, 7)).map(([month, scores]) => ({
    month,
    ...tallyScores(scores),
  })),
});

export const npsSummary = async (range: ResponseRange, segmentKey: string | undefined): Promise<NpsSummary> =>
  summarizeResponses(await readResponses(range), range, segmentKey);
