/**
 * Records a requester's CSAT answer, from the survey page or POST /tickets/{id}/satisfaction_rating.
 *
 * Primary course:
 * 1. Read the ticket; only its requester may rate, and only a ticket that was solved at least once
 *    (solved now, or solved and reopened since).
 * 2. The answer is for the ticket's latest solve: a survey link names its solve, and a link from an
 *    earlier solve is refused (a new solve gets its own survey).
 * 3. Rating stays open while the ticket is not closed, and for a grace period after it closed.
 * 4. One rating per solve: the first answer creates it, later ones change it in place; the rating,
 *    the ticket's satisfaction state (audited as `satisfaction_score`, so triggers see it) and the
 *    offer's score commit in one transaction.
 */
import { NO_REASON, type RatedScore } from '../../domain/csat/satisfaction.ts';
import type { SatisfactionRating } from '../../domain/csat/satisfaction-rating.ts';
import { ratingOpen } from '../../domain/csat/survey-schedule.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import type { Via } from '../../domain/tickets/ticket.ts';
import { offerScoreWrite } from '../../store/csat/csat-surveys.ts';
import { allocateRatingId, getRatingForSolve, ratingWrite } from '../../store/csat/satisfaction-ratings.ts';
import { latestSolveAuditId } from '../../store/csat/solve-audits.ts';
import { getTicket } from '../../store/tickets/tickets.ts';
import { TransactionConflict } from '../../store/transactions.ts';
import { writeSatisfaction } from './write-satisfaction.ts';

export interface RateTicketCommand {
  ticketId: number;
  raterId: number;
  /** The solve a survey link was for; the API rates the latest solve. */
  solveAuditId?: number | undefined;
  score: RatedScore;
  comment: string | null;
  /** Reasons apply to bad ratings only (422 otherwise). */
  reasonCode: number | null;
  via: Via;
  now: string;
}

export const SURVEY_FOR_EARLIER_SOLVE = 'This survey is for an earlier resolution of the request';
export const RATING_CLOSED = 'The request is closed and can no longer be rated';

export const rateTicket = async (command: RateTicketCommand): Promise<SatisfactionRating> => {
  if (command.reasonCode !== null && command.score !== 'bad') {
    throw ValidationError.field('reason_code', 'Reason code: can only be given with a bad rating');
  }
  const ticket = await getTicket(command.ticketId);
  if (!ticket || ticket.deleted_at !== null) throw new NotFoundError();
  if (ticket.requester_id !== command.raterId)
    throw new ForbiddenError('Only the requester may rate the ticket');
  const solveAuditId = await latestSolveAuditId(ticket.id);
  if (solveAuditId === undefined) {
    throw ValidationError.field('status', 'Status: the ticket has not been solved');
  }
  if (command.solveAuditId !== undefined && command.solveAuditId !== solveAuditId) {
    throw ValidationError.field('base', SURVEY_FOR_EARLIER_SOLVE);
  }
  if (!ratingOpen(ticket, Date.parse(command.now))) throw ValidationError.field('status', RATING_CLOSED);

  const previous = await getRatingForSolve(ticket.id, solveAuditId);
  const rating: SatisfactionRating = {
    id: previous?.id ?? (await allocateRatingId()),
    ticket_id: ticket.id,
    requester_id: ticket.requester_id,
    // Snapshots of the first answer; a changed answer keeps them.
    assignee_id: previous ? previous.assignee_id : ticket.assignee_id,
    group_id: previous ? previous.group_id : ticket.group_id,
    organization_id: previous ? previous.organization_id : ticket.organization_id,
    solve_audit_id: solveAuditId,
    score: command.score,
    comment: command.comment?.trim() || null,
    reason_code: command.score === 'bad' ? (command.reasonCode ?? NO_REASON) : null,
    created_at: previous?.created_at ?? command.now,
    updated_at: command.now,
  };
  try {
    await writeSatisfaction({
      ticketId: ticket.id,
      actorId: command.raterId,
      via: command.via,
      now: command.now,
      next: () => ({
        score: rating.score,
        comment: rating.comment,
        reason_code: rating.reason_code,
        id: rating.id,
      }),
      alsoWrite: (current) => [
        ratingWrite(rating, previous),
        offerScoreWrite(current, solveAuditId, rating.score, command.now),
      ],
    });
  } catch (error) {
    // Another answer for this solve committed first: theirs stands; this one may be sent again.
    if (error instanceof TransactionConflict && error.labels.includes('satisfaction_rating')) {
      throw ValidationError.field('base', 'The rating changed meanwhile; please answer again');
    }
    throw error;
  }
  return rating;
};
