/**
 * Sends the CSAT survey of one solve when its timer fires (consumer of the CSAT survey queue).
 *
 * Primary course:
 * 1. Re-check against the ticket as it is now: still solved (or closed) by that solve, requester with a
 *    usable address, no opt-out tag, not rated already. Otherwise record the survey skipped.
 * 2. Claim the solve's survey (one survey per solve, whatever the redeliveries).
 * 3. Check the address against suppressions and the automatic-mail cap, then mail "How would you rate
 *    the support you received?" with a Good and a Bad link, each carrying a signed token for this
 *    ticket, requester and solve.
 * 4. Record the offer (for the summary) and mark the ticket's satisfaction `offered`.
 * Alternate course: SES throttles us; the claim is released and the error goes to the consumer, which
 * has the queue deliver the message again after a backoff.
 */

import { toTimestamp } from '../../domain/clock.ts';
import { offeredSatisfaction } from '../../domain/csat/satisfaction.ts';
import {
  type CsatSettings,
  SURVEY_LINK_DAYS,
  type SurveySkipReason,
  surveyVerdict,
} from '../../domain/csat/survey-schedule.ts';
import { signSurveyToken } from '../../domain/surveys/survey-token.ts';
import { SYSTEM_AUTHOR_ID } from '../../domain/system-author.ts';
import { supportAddress } from '../../mail/addresses.ts';
import type { MailSender } from '../../mail/mail-sender.ts';
import { createMessageId } from '../../mail/message-ids.ts';
import { domainOf } from '../../mail/outbound/desk-identity.ts';
import { composeSurveyMail, surveyPageUrl } from '../../mail/outbound/survey-mail.ts';
import {
  claimSurvey,
  markSurveySent,
  markSurveySkipped,
  releaseSurveyClaim,
} from '../../store/csat/csat-surveys.ts';
import { statusesAfter } from '../../store/csat/solve-audits.ts';
import { getUser } from '../../store/directory/users.ts';
import { getTicket } from '../../store/tickets/tickets.ts';
import { mayAutoMail } from '../mail/auto-mail.ts';
import { usableAddress } from '../mail/send-notification-mail.ts';
import { writeSatisfaction } from './write-satisfaction.ts';

/** Longer than the consumer's timeout, shorter than its queue's visibility timeout. */
const CLAIM_LEASE_MS = 90_000;
const DAY_SECONDS = 86_400;

export const CSAT_QUESTION = 'How would you rate the support you received?';

export interface SendCsatSurveyDependencies {
  sender: MailSender;
  mailSecret: () => Promise<string>;
  now: () => Date;
  settings: CsatSettings;
}

export type SendCsatSurveyOutcome =
  | { kind: 'sent' }
  | { kind: 'skipped'; reason: SurveySkipReason }
  | { kind: 'already_handled' };

export const sendCsatSurvey = async (
  due: { ticketId: number; solveAuditId: number },
  dependencies: SendCsatSurveyDependencies,
): Promise<SendCsatSurveyOutcome> => {
  const { ticketId, solveAuditId } = due;
  const ticket = await getTicket(ticketId);
  const [changedSince, requester] = ticket
    ? await Promise.all([statusesAfter(ticketId, solveAuditId), getUser(ticket.requester_id)])
    : [[], undefined];
  const address = requester ? usableAddress(requester) : undefined;
  const verdict = surveyVerdict({
    ticket,
    changedSince,
    requesterAddress: address,
    settings: dependencies.settings,
  });
  if (!verdict.send || !ticket || !address) {
    const reason = verdict.send ? 'no_deliverable_email' : verdict.reason;
    await markSurveySkipped(ticketId, solveAuditId, reason);
    return { kind: 'skipped', reason };
  }

  const startedAt = dependencies.now();
  if (
    !(await claimSurvey(ticketId, solveAuditId, startedAt.getTime(), startedAt.getTime() + CLAIM_LEASE_MS))
  ) {
    return { kind: 'already_handled' };
  }
  const now = toTimestamp(startedAt);
  if (!(await mayAutoMail(address, now))) {
    await markSurveySkipped(ticketId, solveAuditId, 'no_deliverable_email');
    return { kind: 'skipped', reason: 'no_deliverable_email' };
  }

  const secret = await dependencies.mailSecret();
  const token = signSurveyToken(
    {
      kind: 'csat',
      subjectId: ticketId,
      userId: ticket.requester_id,
      occasionId: solveAuditId,
      expiresAt: Math.floor(startedAt.getTime() / 1000) + SURVEY_LINK_DAYS * DAY_SECONDS,
    },
    secret,
  );
  const subject = ticket.subject
    ? `How did we do? Re: ${ticket.subject}`
    : `How did we do with request #${ticketId}?`;
  const raw = await composeSurveyMail(
    {
      subject,
      intro: `Your request #${ticketId}${ticket.subject ? ` "${ticket.subject}"` : ''} was solved. We would love to hear what you thought of the support you received.`,
      question: CSAT_QUESTION,
      choices: [
        { label: 'Good, I am satisfied', url: surveyPageUrl('csat', token, { score: 'good' }) },
        { label: 'Bad, I am unsatisfied', url: surveyPageUrl('csat', token, { score: 'bad' }) },
      ],
    },
    {
      to: address,
      // Our own signed Message-ID: a reply to the survey threads onto the ticket like any other.
      messageId: createMessageId({ ticketId, secret, domain: domainOf(supportAddress()) }),
      date: startedAt,
    },
  );
  try {
    await dependencies.sender.send({ raw, from: supportAddress(), to: [address] });
  } catch (error) {
    await releaseSurveyClaim(ticketId, solveAuditId);
    throw error;
  }
  await markSurveySent(ticket, solveAuditId, now);
  await writeSatisfaction({
    ticketId,
    actorId: SYSTEM_AUTHOR_ID,
    via: { channel: 'system', source: { from: {}, to: {}, rel: 'satisfaction_survey' } },
    now,
    next: (current) => offeredSatisfaction(current.satisfaction_rating),
  });
  return { kind: 'sent' };
};
