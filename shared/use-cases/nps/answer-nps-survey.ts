/**
 * The NPS survey pages' use cases: showing a survey (a GET: records nothing, since mail scanners follow
 * links), recording an answer (the page's POST), and unsubscribing (POST only).
 *
 * Recording, primary course: 1. verify the link's signature and expiry, and that its survey is this
 * person's; 2. snapshot the person's organization and both field sets (segments as they are at answer
 * time); 3. write the response: the first answer only if none exists, a change only over the answer
 * read; changes are accepted until the link expires (settings.response_days after the survey).
 * Alternate course: for a detractor, when the account asks for follow-ups, the response is written in
 * the same transaction as a new ticket from the person holding their comment, once per response.
 */
import { categoryOf } from '../../domain/nps/nps-score.ts';
import { verifySurveyToken } from '../../domain/surveys/survey-token.ts';
import { webVia } from '../../domain/tickets/ticket.ts';
import { getMailSecret } from '../../mail/mail-secret.ts';
import { getOrganization } from '../../store/directory/organizations.ts';
import { getUser } from '../../store/directory/users.ts';
import { unsubscribePerson } from '../../store/nps/nps-people.ts';
import { getResponse, type NpsResponse, responseWriteItem } from '../../store/nps/nps-responses.ts';
import { getNpsSettings } from '../../store/nps/nps-settings.ts';
import { getSurvey } from '../../store/nps/nps-surveys.ts';
import { TransactionConflict, writeTransaction } from '../../store/transactions.ts';
import { createTicket } from '../tickets/create-ticket.ts';

export type RefusalReason = 'malformed' | 'forged' | 'expired' | 'other_survey' | 'unknown_survey';

export type NpsLink =
  | { valid: true; surveyId: number; userId: number; response: NpsResponse | undefined }
  | { valid: false; reason: RefusalReason };

/**
 * `ignoreExpiry`: an unsubscribe link keeps working after the survey closes (RFC 8058 asks that it
 * work for as long as the mail may be acted on); the signature is still checked.
 */
export const openNpsLink = async (
  token: string,
  nowMs: number,
  { ignoreExpiry = false }: { ignoreExpiry?: boolean } = {},
): Promise<NpsLink> => {
  const verdict = verifySurveyToken(
    token,
    await getMailSecret(),
    ignoreExpiry ? 0 : Math.floor(nowMs / 1000),
    {
      kind: 'nps',
    },
  );
  if (!verdict.valid) return { valid: false, reason: verdict.reason };
  const { occasionId: surveyId, userId } = verdict.claims;
  const survey = await getSurvey(surveyId);
  if (!survey || survey.user_id !== userId) return { valid: false, reason: 'unknown_survey' };
  return { valid: true, surveyId, userId, response: await getResponse(surveyId) };
};

export type RecordOutcome =
  | { recorded: true; response: NpsResponse; changed: boolean }
  | { recorded: false; reason: RefusalReason | 'conflict' };

const FOLLOW_UP_TAG = 'nps_detractor';

export const recordNpsResponse = async (
  token: string,
  answer: { score: number; comment: string },
  nowMs: number,
): Promise<RecordOutcome> => {
  const link = await openNpsLink(token, nowMs);
  if (!link.valid) return { recorded: false, reason: link.reason };
  const user = await getUser(link.userId);
  if (!user?.active) return { recorded: false, reason: 'unknown_survey' };
  const organization =
    user.organization_id === null ? undefined : await getOrganization(user.organization_id);
  const now = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const previous = link.response;
  const response: NpsResponse = {
    id: link.surveyId,
    user_id: user.id,
    score: answer.score,
    comment: answer.comment,
    organization_id: organization?.id ?? null,
    user_fields: user.user_fields,
    organization_fields: organization?.organization_fields ?? {},
    follow_up_ticket_id: previous?.follow_up_ticket_id ?? null,
    created_at: previous?.created_at ?? now,
    updated_at: now,
  };
  const settings = await getNpsSettings();
  const followUp =
    settings.detractor_follow_up &&
    categoryOf(answer.score) === 'detractor' &&
    response.follow_up_ticket_id === null;
  try {
    if (followUp) {
      const plan = await createTicket({
        caller: { userId: user.id, role: 'end-user', email: user.email ?? '' },
        via: webVia(),
        now,
        fields: { subject: `NPS feedback: ${answer.score} out of 10`, tags: [FOLLOW_UP_TAG] },
        comment: {
          body: answer.comment.trim() || `Scored ${answer.score} out of 10 without a comment.`,
          public: true,
        },
        alsoWrite: (ticketPlan) => [
          {
            label: 'response',
            item: responseWriteItem({ ...response, follow_up_ticket_id: ticketPlan.ticket.id }, previous),
          },
        ],
      });
      return {
        recorded: true,
        response: { ...response, follow_up_ticket_id: plan.ticket.id },
        changed: !!previous,
      };
    }
    await writeTransaction([{ label: 'response', item: responseWriteItem(response, previous) }]);
    return { recorded: true, response, changed: !!previous };
  } catch (error) {
    if (error instanceof TransactionConflict && error.labels.includes('response')) {
      return { recorded: false, reason: 'conflict' };
    }
    throw error;
  }
};

/** One-click unsubscribe (RFC 8058) or the confirmation page's button: the person gets no more surveys. */
export const unsubscribeFromNps = async (token: string, nowMs: number): Promise<NpsLink> => {
  const link = await openNpsLink(token, nowMs, { ignoreExpiry: true });
  if (link.valid)
    await unsubscribePerson(link.userId, new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  return link;
};
