/**
 * Keeps CSAT survey timers in step with a ticket's solves (consumer of ticket.created/updated).
 *
 * Primary course: an audit that solves the ticket records the solve's survey as scheduled and puts
 * its one-time timer at solve + delay. Alternate course: an audit that takes the ticket out of solved
 * (other than closing it) cancels the ticket's scheduled surveys and deletes their timers. Both are
 * idempotent: a redelivered audit puts the same timer or deletes one already gone.
 */
import {
  type CsatSettings,
  type CsatSurveyDue,
  csatTimerName,
  surveyDueAt,
  surveyTimerAction,
} from '../../domain/csat/survey-schedule.ts';
import type { OneTimeTimers } from '../../runtime/one-time-timers.ts';
import {
  cancelScheduledSurvey,
  getSurvey,
  recordScheduledSurvey,
  scheduledSurveys,
} from '../../store/csat/csat-surveys.ts';
import { getAudit } from '../../store/tickets/tickets.ts';

export interface ScheduleCsatDependencies {
  timers: OneTimeTimers;
  settings: CsatSettings;
}

export type ScheduleCsatOutcome = 'scheduled' | 'cancelled' | 'unchanged';

export const scheduleCsatSurvey = async (
  event: { ticketId: number; auditId: number },
  { timers, settings }: ScheduleCsatDependencies,
): Promise<ScheduleCsatOutcome> => {
  const audit = await getAudit(event.ticketId, event.auditId);
  if (!audit) return 'unchanged';
  const action = surveyTimerAction(audit);
  if (action === 'schedule') {
    const dueAt = surveyDueAt(audit.created_at, settings);
    await recordScheduledSurvey(event.ticketId, audit.id, dueAt);
    // A redelivered solve whose survey was sent or cancelled since needs no timer again.
    if ((await getSurvey(event.ticketId, audit.id))?.state !== 'scheduled') return 'unchanged';
    const due: CsatSurveyDue = {
      type: 'csat.survey_due',
      ticket_id: event.ticketId,
      solve_audit_id: audit.id,
    };
    await timers.put(csatTimerName(event.ticketId, audit.id), dueAt, due);
    return 'scheduled';
  }
  if (action === 'cancel') {
    for (const survey of await scheduledSurveys(event.ticketId)) {
      if (survey.solve_audit_id > audit.id) continue;
      await timers.delete(csatTimerName(event.ticketId, survey.solve_audit_id));
      await cancelScheduledSurvey(event.ticketId, survey.solve_audit_id);
    }
    return 'cancelled';
  }
  return 'unchanged';
};
