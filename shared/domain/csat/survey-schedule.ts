/**
 * When and whether a CSAT survey goes out. A solve starts a one-time timer (solve + delay); a reopen
 * before it fires cancels it; when it fires, `surveyVerdict` re-checks everything against the ticket
 * as it is then, because the timer only knows what was true at the solve.
 */
import type { Audit, Ticket } from '../tickets/ticket.ts';

export const DEFAULT_SURVEY_DELAY_MINUTES = 24 * 60;
export const DEFAULT_OPT_OUT_TAG = 'csat_opt_out';
/** A survey link stays usable this long after the mail (Zendesk's links last about four weeks). */
export const SURVEY_LINK_DAYS = 28;
/** After a ticket closes, its requester may still change their rating this long. */
export const RATING_CHANGE_GRACE_HOURS = 24;

export interface CsatSettings {
  delayMinutes: number;
  optOutTag: string;
}

/** CSAT_DELAY_MINUTES (0 or more) and CSAT_OPT_OUT_TAG, with Zendesk's defaults. */
export const csatSettingsFrom = (env: Readonly<Record<string, string | undefined>>): CsatSettings => {
  const delay = Number(env.CSAT_DELAY_MINUTES);
  return {
    delayMinutes:
      env.CSAT_DELAY_MINUTES !== undefined &&
      env.CSAT_DELAY_MINUTES !== '' &&
      Number.isSafeInteger(delay) &&
      delay >= 0
        ? delay
        : DEFAULT_SURVEY_DELAY_MINUTES,
    optOutTag: env.CSAT_OPT_OUT_TAG?.trim().toLowerCase() || DEFAULT_OPT_OUT_TAG,
  };
};

/** One timer per ticket and solve: a later solve never moves or cancels an earlier solve's timer. */
export const csatTimerName = (ticketId: number, solveAuditId: number): string =>
  `csat-${ticketId}-${solveAuditId}`;

/** What the timer delivers to the survey queue. */
export interface CsatSurveyDue {
  type: 'csat.survey_due';
  ticket_id: number;
  solve_audit_id: number;
}

export const surveyDueAt = (solvedAt: string, settings: CsatSettings): string =>
  new Date(Date.parse(solvedAt) + settings.delayMinutes * 60_000).toISOString();

/** The audit's status event: a Create when the audit created the ticket, a Change when it moved it. */
const statusEvent = (audit: Pick<Audit, 'events'>) =>
  audit.events.find(
    (event) => (event.type === 'Change' || event.type === 'Create') && event.field_name === 'status',
  );

/**
 * What a ticket's audit means for surveys: a solve schedules one (a ticket created already solved is
 * a solve too), leaving solved cancels any pending.
 */
export const surveyTimerAction = (audit: Pick<Audit, 'events'>): 'schedule' | 'cancel' | 'none' => {
  const event = statusEvent(audit);
  if (event?.type !== 'Change' && event?.type !== 'Create') return 'none';
  if (event.value === 'solved') return 'schedule';
  if (event.type === 'Change' && event.previous_value === 'solved' && event.value !== 'closed')
    return 'cancel';
  return 'none';
};

export type SurveySkipReason =
  | 'ticket_gone'
  | 'reopened'
  | 'no_deliverable_email'
  | 'opted_out'
  | 'already_rated';

/**
 * Whether the survey for this solve still goes out. `changedSince` are the status values the ticket
 * took in audits after the solve: anything but `closed` means the solve this timer was for is over.
 * Zendesk surveys any requester with an email, whatever the channel the ticket came through, so the
 * channel is not checked: a requester without a usable address is what rules a ticket out.
 */
export const surveyVerdict = (input: {
  ticket: Ticket | undefined;
  changedSince: readonly unknown[];
  requesterAddress: string | undefined;
  settings: CsatSettings;
}): { send: true } | { send: false; reason: SurveySkipReason } => {
  const { ticket } = input;
  if (!ticket || ticket.deleted_at !== null) return { send: false, reason: 'ticket_gone' };
  if (ticket.status !== 'solved' && ticket.status !== 'closed') return { send: false, reason: 'reopened' };
  if (input.changedSince.some((status) => status !== 'closed')) return { send: false, reason: 'reopened' };
  if (!input.requesterAddress) return { send: false, reason: 'no_deliverable_email' };
  if (ticket.tags.includes(input.settings.optOutTag)) return { send: false, reason: 'opted_out' };
  const score = ticket.satisfaction_rating?.score;
  if (score === 'good' || score === 'bad') return { send: false, reason: 'already_rated' };
  return { send: true };
};

/**
 * Whether the requester may still rate (or change their rating of) a ticket: while it is not closed,
 * and for the grace period after it closed (a closed ticket's `updated_at` is when it closed, since
 * nothing may change it afterwards).
 */
export const ratingOpen = (ticket: Pick<Ticket, 'status' | 'updated_at'>, nowEpochMs: number): boolean =>
  ticket.status !== 'closed' ||
  nowEpochMs <= Date.parse(ticket.updated_at) + RATING_CHANGE_GRACE_HOURS * 3_600_000;
