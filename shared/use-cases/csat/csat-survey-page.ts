/**
 * What the CSAT survey page may show for a link: the token must verify (signature, expiry, survey
 * kind), name the ticket's requester and its latest solve, and the ticket must still take ratings.
 * Reading never records anything: mail scanners follow links, only the page's POST rates.
 */
import type { SatisfactionRating } from '../../domain/csat/satisfaction-rating.ts';
import { ratingOpen } from '../../domain/csat/survey-schedule.ts';
import { type SurveyTokenClaims, verifySurveyToken } from '../../domain/surveys/survey-token.ts';
import { getRatingForSolve } from '../../store/csat/satisfaction-ratings.ts';
import { latestSolveAuditId } from '../../store/csat/solve-audits.ts';
import { getTicket } from '../../store/tickets/tickets.ts';

export type SurveyRefusal = 'invalid' | 'expired' | 'earlier_solve' | 'closed';

export type CsatSurveyView =
  | {
      open: true;
      claims: SurveyTokenClaims;
      ticket: { id: number; subject: string | null };
      current: SatisfactionRating | undefined;
    }
  | { open: false; refusal: SurveyRefusal };

/** The token's claims, if it is a valid CSAT token now. */
export const csatClaims = (
  token: string,
  secret: string,
  nowEpochMs: number,
): { claims: SurveyTokenClaims } | { refusal: SurveyRefusal } => {
  const verdict = verifySurveyToken(token, secret, Math.floor(nowEpochMs / 1000), { kind: 'csat' });
  if (verdict.valid) return { claims: verdict.claims };
  return { refusal: verdict.reason === 'expired' ? 'expired' : 'invalid' };
};

export const viewCsatSurvey = async (
  token: string,
  secret: string,
  nowEpochMs: number,
): Promise<CsatSurveyView> => {
  const checked = csatClaims(token, secret, nowEpochMs);
  if ('refusal' in checked) return { open: false, refusal: checked.refusal };
  const { claims } = checked;
  const ticket = await getTicket(claims.subjectId);
  if (!ticket || ticket.deleted_at !== null || ticket.requester_id !== claims.userId) {
    return { open: false, refusal: 'invalid' };
  }
  if ((await latestSolveAuditId(ticket.id)) !== claims.occasionId)
    return { open: false, refusal: 'earlier_solve' };
  if (!ratingOpen(ticket, nowEpochMs)) return { open: false, refusal: 'closed' };
  return {
    open: true,
    claims,
    ticket: { id: ticket.id, subject: ticket.subject },
    current: await getRatingForSolve(ticket.id, claims.occasionId),
  };
};
