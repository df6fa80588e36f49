/**
 * Signed survey tokens: the capability a survey link carries. Whoever holds the link may answer that
 * one survey (one person, one subject, one occasion) until it expires, and nothing else; the token is
 * the only secret in the URL, so survey pages need no login and no CSRF token (the path is the proof).
 *
 * Shared by CSAT (subject = ticket, occasion = the solve's audit id) and NPS (subject = the user,
 * occasion = the survey window). Format: `base64url(kind.subject.user.occasion.expires).mac`, the MAC
 * being 128 bits of HMAC-SHA256 under a key derived from the mail secret for this purpose only, so a
 * survey MAC can never be confused with a Message-ID MAC made with the same secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SURVEY_KINDS = ['csat', 'nps'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export interface SurveyTokenClaims {
  kind: SurveyKind;
  /** What is rated: the ticket id (CSAT) or the user id (NPS). */
  subjectId: number;
  /** Who may answer: the requester (CSAT) or the surveyed user (NPS). */
  userId: number;
  /** The occasion: the solve's audit id (CSAT), the survey window (NPS); an answer counts once per one. */
  occasionId: number;
  /** Epoch seconds after which the link is refused. */
  expiresAt: number;
}

export type SurveyTokenVerdict =
  | { valid: true; claims: SurveyTokenClaims }
  | { valid: false; reason: 'malformed' | 'forged' | 'expired' | 'other_survey' };

const MAC_LENGTH = 22;
const MAX_TOKEN_LENGTH = 200;
const ID = /^[1-9]\d{0,15}$/;

/** A key for survey tokens alone, derived from the mail secret (domain separation). */
const surveyKey = (secret: string): Buffer =>
  createHmac('sha256', secret).update('relaydesk/survey-token/v1').digest();

const mac = (secret: string, payload: string): string =>
  createHmac('sha256', surveyKey(secret)).update(payload).digest('base64url').slice(0, MAC_LENGTH);

export const signSurveyToken = (claims: SurveyTokenClaims, secret: string): string => {
  const fields = [claims.kind, claims.subjectId, claims.userId, claims.occasionId, claims.expiresAt];
  if (!fields.slice(1).every((value) => Number.isSafeInteger(value) && Number(value) > 0)) {
    throw new RangeError('Survey token ids and expiry must be positive integers');
  }
  const payload = Buffer.from(fields.join('.')).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
};

const parseClaims = (payload: string): SurveyTokenClaims | undefined => {
  const parts = Buffer.from(payload, 'base64url').toString('utf8').split('.');
  const [kind, subjectId, userId, occasionId, expiresAt] = parts;
  if (parts.length !== 5 || !SURVEY_KINDS.includes(kind as SurveyKind)) return undefined;
  const ids = [subjectId, userId, occasionId, expiresAt];
  if (!ids.every((value) => value !== undefined && ID.test(value))) return undefined;
  return {
    kind: kind as SurveyKind,
    subjectId: Number(subjectId),
    userId: Number(userId),
    occasionId: Number(occasionId),
    expiresAt: Number(expiresAt),
  };
};

/**
 * Checks the MAC first (constant time), then the expiry and that the token is for the survey the page
 * serves (`expected`): a valid CSAT token shown to the NPS page is refused, as is one for another ticket.
 */
export const verifySurveyToken = (
  token: string,
  secret: string,
  nowEpochSeconds: number,
  expected: { kind: SurveyKind; subjectId?: number },
): SurveyTokenVerdict => {
  if (token.length > MAX_TOKEN_LENGTH) return { valid: false, reason: 'malformed' };
  const match = /^([A-Za-z0-9_-]{8,160})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return { valid: false, reason: 'malformed' };
  const [, payload = '', given = ''] = match;
  const wanted = mac(secret, payload);
  if (!timingSafeEqual(Buffer.from(given), Buffer.from(wanted))) return { valid: false, reason: 'forged' };
  const claims = parseClaims(payload);
  if (!claims) return { valid: false, reason: 'malformed' };
  if (claims.expiresAt <= nowEpochSeconds) return { valid: false, reason: 'expired' };
  if (claims.kind !== expected.kind) return { valid: false, reason: 'other_survey' };
  if (expected.subjectId !== undefined && claims.subjectId !== expected.subjectId) {
    return { valid: false, reason: 'other_survey' };
  }
  return { valid: true, claims };
};
