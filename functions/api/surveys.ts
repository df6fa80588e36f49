/**
 * The `surveys` route group: the pages survey links open, anonymous (the signed token in the path is
 * the capability, see shared/domain/surveys/survey-token.ts). Every answer is HTML, never JSON, with
 * the survey page headers; refusals are pages too, and change nothing. A GET only shows a form; only
 * the form's POST records. Sections: CSAT below; NPS adds its routes to this same group.
 */
import * as z from 'zod';
import { nowMs, nowTimestamp } from '../../shared/domain/clock.ts';
import { SATISFACTION_REASONS } from '../../shared/domain/csat/satisfaction.ts';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/domain/errors.ts';
import { messagePage, SURVEY_PAGE_HEADERS, surveyPage } from '../../shared/domain/surveys/survey-page.ts';
import { webVia } from '../../shared/domain/tickets/ticket.ts';
import type { ApiRequest, ApiResult } from '../../shared/http/api-request.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { surveyAnswerForm } from '../../shared/http/schemas/satisfaction-input.ts';
import { getMailSecret } from '../../shared/mail/mail-secret.ts';
import {
  csatClaims,
  type SurveyRefusal,
  viewCsatSurvey,
} from '../../shared/use-cases/csat/csat-survey-page.ts';
import { rateTicket } from '../../shared/use-cases/csat/rate-ticket.ts';
import { CSAT_QUESTION } from '../../shared/use-cases/csat/send-csat-survey.ts';
import { npsSurveyRoutes } from './nps-survey-pages.ts';

const htmlPage = (statusCode: number, html: string): ApiResult => ({
  statusCode,
  rawBody: Buffer.from(html),
  headers: { ...SURVEY_PAGE_HEADERS },
});

const REFUSALS: Record<SurveyRefusal, { status: number; message: string }> = {
  invalid: {
    status: 403,
    message: 'This survey link is not valid. Please use the link from your most recent email.',
  },
  expired: { status: 410, message: 'This survey link has expired.' },
  earlier_solve: {
    status: 410,
    message: 'This survey is for an earlier resolution of your request; a newer survey replaces it.',
  },
  closed: { status: 410, message: 'This request is closed and can no longer be rated.' },
};

const refusalPage = async (refusal: SurveyRefusal) =>
  htmlPage(
    REFUSALS[refusal].status,
    await messagePage('Survey unavailable', { message: REFUSALS[refusal].message }),
  );

// ---- CSAT ------------------------------------------------------------------------------------------

const csatForm = surveyPage(`<p>Request #{{ ticket_id }}{% if subject %}: {{ subject }}{% endif %}</p>
<form method="post" action="">
<fieldset>
<legend>{{ question }}</legend>
<label><input type="radio" name="score" value="good"{% if score == "good" %} checked{% endif %} required> Good, I'm satisfied</label>
<label><input type="radio" name="score" value="bad"{% if score == "bad" %} checked{% endif %}> Bad, I'm unsatisfied</label>
</fieldset>
<label for="reason_code">If bad, what was the main reason?</label>
<select id="reason_code" name="reason_code">
<option value="">Choose a reason (optional)</option>
{% for reason in reasons %}<option value="{{ reason.reason_code }}"{% if reason.reason_code == reason_code %} selected{% endif %}>{{ reason.value }}</option>
{% endfor %}</select>
<label for="comment">Anything else you would like to tell us? (optional)</label>
<textarea id="comment" name="comment" rows="5" maxlength="10000">{{ comment }}</textarea>
<p><button type="submit">Send my rating</button></p>
</form>`);

const thanks = surveyPage(`<p>Your rating ({{ score_label }}) for request #{{ ticket_id }} is recorded.</p>
{% if score == "bad" %}<p>We are sorry we let you down; the team will look at your feedback.</p>{% endif %}
<p class="notice">You can change it with the link from the email until the request is closed.</p>`);

const scoreParam = z.enum(['good', 'bad']).optional().catch(undefined);

const csatToken = (request: ApiRequest): string => request.pathParameters.token ?? '';

const showCsatSurvey = async (request: ApiRequest): Promise<ApiResult> => {
  const view = await viewCsatSurvey(csatToken(request), await getMailSecret(), nowMs());
  if (!view.open) return refusalPage(view.refusal);
  const score = scoreParam.parse(request.query.get('score') ?? undefined) ?? view.current?.score;
  return htmlPage(
    200,
    await csatForm('Rate your support', {
      ticket_id: view.ticket.id,
      subject: view.ticket.subject,
      question: CSAT_QUESTION,
      score,
      reasons: SATISFACTION_REASONS,
      reason_code: view.current?.reason_code ?? null,
      comment: view.current?.comment ?? '',
    }),
  );
};

const recordCsatAnswer = async (request: ApiRequest): Promise<ApiResult> => {
  const checked = csatClaims(csatToken(request), await getMailSecret(), nowMs());
  if ('refusal' in checked) return refusalPage(checked.refusal);
  const form = surveyAnswerForm.safeParse(request.body ?? {});
  if (!form.success) {
    return htmlPage(
      400,
      await messagePage('Rating not recorded', {
        message: 'Please choose Good or Bad and send the form again.',
      }),
    );
  }
  const { claims } = checked;
  try {
    const rating = await rateTicket({
      ticketId: claims.subjectId,
      raterId: claims.userId,
      solveAuditId: claims.occasionId,
      score: form.data.score,
      comment: form.data.comment,
      reasonCode: form.data.score === 'bad' ? form.data.reason_code : null,
      via: webVia(),
      now: nowTimestamp(),
    });
    return htmlPage(
      200,
      await thanks('Thank you', {
        ticket_id: rating.ticket_id,
        score: rating.score,
        score_label: rating.score === 'good' ? 'Good' : 'Bad',
      }),
    );
  } catch (error) {
    if (error instanceof ForbiddenError || error instanceof NotFoundError) return refusalPage('invalid');
    if (error instanceof ValidationError) {
      return htmlPage(409, await messagePage('Rating not recorded', { message: error.message }));
    }
    if (error instanceof DomainError) return refusalPage('invalid');
    throw error;
  }
};

export const handler = createRouteGroupHandler('surveys', {
  'GET /surveys/csat/{token}': showCsatSurvey,
  'POST /surveys/csat/{token}': recordCsatAnswer,
  ...npsSurveyRoutes,
});
