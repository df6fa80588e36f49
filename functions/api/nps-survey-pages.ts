/**
 * The NPS pages of the `surveys` route group (functions/api/surveys.ts spreads these routes in): the
 * score page a mail link opens (a GET shows the score chosen and asks for the reason; it records
 * nothing, since mail scanners follow links), the form's POST that records the answer, and unsubscribe
 * (a GET only shows a button; the POST, also RFC 8058's one-click, unsubscribes).
 */
import * as z from 'zod';
import { nowMs } from '../../shared/domain/clock.ts';
import {
  MAX_COMMENT_LENGTH,
  NPS_REASON_QUESTION,
  NPS_SCORES,
  npsQuestion,
} from '../../shared/domain/nps/nps-survey-text.ts';
import { messagePage, SURVEY_PAGE_HEADERS, surveyPage } from '../../shared/domain/surveys/survey-page.ts';
import type { ApiRequest, ApiResult } from '../../shared/http/api-request.ts';
import type { RouteImplementations } from '../../shared/http/route-group.ts';
import { deskName } from '../../shared/mail/outbound/desk-identity.ts';
import {
  openNpsLink,
  type RefusalReason,
  recordNpsResponse,
  unsubscribeFromNps,
} from '../../shared/use-cases/nps/answer-nps-survey.ts';

const html = (statusCode: number, body: string): ApiResult => ({
  statusCode,
  rawBody: Buffer.from(body),
  headers: { ...SURVEY_PAGE_HEADERS },
});

const refusal = async (reason: RefusalReason | 'conflict'): Promise<ApiResult> => {
  if (reason === 'expired') {
    return html(
      410,
      await messagePage('Survey closed', { message: 'This survey has closed. Thank you all the same.' }),
    );
  }
  if (reason === 'conflict') {
    return html(
      409,
      await messagePage('Answer not recorded', {
        message: 'Your answer changed in another window. Please open the link again.',
      }),
    );
  }
  return html(
    403,
    await messagePage('Survey unavailable', {
      message: 'This survey link is not valid. Please use the link from your email.',
    }),
  );
};

const scoreForm = surveyPage(`<form method="post" action="">
<fieldset>
<legend>{{ question }}</legend>
{% for option in scores %}<label style="display: inline-block; margin-right: .75em;"><input type="radio" name="score" value="{{ option }}"{% if option == score %} checked{% endif %} required> {{ option }}</label>{% endfor %}
</fieldset>
<label for="comment">{{ reason_question }}</label>
<textarea id="comment" name="comment" rows="5" maxlength="{{ max_comment }}">{{ comment }}</textarea>
<p><button type="submit">Send</button></p>
</form>`);

const thanks = surveyPage(`<p>Your score of {{ score }} is recorded.</p>
<p class="notice">You can change it with the link from the email while the survey is open.</p>`);

const unsubscribeForm = surveyPage(`<p>Stop receiving these surveys from {{ desk }}?</p>
<form method="post" action=""><p><button type="submit">Unsubscribe</button></p></form>`);

const scoreParam = z.coerce.number().int().min(0).max(10).optional().catch(undefined);

const answerForm = z.object({
  score: z.coerce.number().int().min(0).max(10),
  comment: z.string().max(MAX_COMMENT_LENGTH).optional().default(''),
});

const tokenOf = (request: ApiRequest): string => request.pathParameters.token ?? '';

const showScorePage = async (request: ApiRequest): Promise<ApiResult> => {
  const link = await openNpsLink(tokenOf(request), nowMs());
  if (!link.valid) return refusal(link.reason);
  return html(
    200,
    await scoreForm('How are we doing?', {
      question: npsQuestion(deskName()),
      reason_question: NPS_REASON_QUESTION,
      scores: NPS_SCORES,
      score: scoreParam.parse(request.query.get('score') ?? undefined) ?? link.response?.score ?? null,
      comment: link.response?.comment ?? '',
      max_comment: MAX_COMMENT_LENGTH,
    }),
  );
};

const recordAnswer = async (request: ApiRequest): Promise<ApiResult> => {
  const form = answerForm.safeParse(request.body ?? {});
  if (!form.success) {
    return html(
      400,
      await messagePage('Answer not recorded', {
        message: 'Please choose a score from 0 to 10 and send the form again.',
      }),
    );
  }
  const outcome = await recordNpsResponse(tokenOf(request), form.data, nowMs());
  if (!outcome.recorded) return refusal(outcome.reason);
  return html(200, await thanks('Thank you', { score: outcome.response.score }));
};

const showUnsubscribe = async (request: ApiRequest): Promise<ApiResult> => {
  const link = await openNpsLink(tokenOf(request), nowMs(), { ignoreExpiry: true });
  if (!link.valid) return refusal(link.reason);
  return html(200, await unsubscribeForm('Unsubscribe', { desk: deskName() }));
};

const unsubscribe = async (request: ApiRequest): Promise<ApiResult> => {
  const link = await unsubscribeFromNps(tokenOf(request), nowMs());
  if (!link.valid) return refusal(link.reason);
  return html(
    200,
    await messagePage('Unsubscribed', { message: 'You will receive no more of these surveys.' }),
  );
};

export const npsSurveyRoutes: RouteImplementations = {
  'GET /surveys/nps/{token}': showScorePage,
  'POST /surveys/nps/{token}': recordAnswer,
  'GET /surveys/nps/{token}/unsubscribe': showUnsubscribe,
  'POST /surveys/nps/{token}/unsubscribe': unsubscribe,
};
