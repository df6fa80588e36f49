/**
 * Mails queued NPS surveys (the deliver-nps-surveys schedule drains the queue every few minutes).
 *
 * Primary course: 1. read the surveys that are due, oldest first; 2. take each with a lease; 3. check
 * the person may still be mailed (active end-user, not unsubscribed, address not suppressed), else the
 * survey is skipped; 4. sign the links, compose and send the mail; 5. mark it sent. At most
 * `concurrency` sends are in flight, which keeps us under SES's sending rate.
 * Alternate courses: SES throttles: the survey is put back with a backoff and this run stops taking
 * more (SES asked us to slow down); any other failure is retried with the same backoff up to a limit.
 * A survey left leased by a crash is due again when its lease ends.
 */
import { verdictForSendFailure } from '../../domain/nps/nps-delivery.ts';
import { mailability } from '../../domain/nps/nps-selection.ts';
import { NPS_SCORES, npsQuestion } from '../../domain/nps/nps-survey-text.ts';
import { signSurveyToken } from '../../domain/surveys/survey-token.ts';
import { supportAddress } from '../../mail/addresses.ts';
import type { MailSender } from '../../mail/mail-sender.ts';
import { deskName, domainOf } from '../../mail/outbound/desk-identity.ts';
import { composeSurveyMail, surveyPageUrl } from '../../mail/outbound/survey-mail.ts';
import { getUser } from '../../store/directory/users.ts';
import { getNpsPerson } from '../../store/nps/nps-people.ts';
import {
  type DueSurvey,
  leaseSurvey,
  listDueSurveys,
  type NpsSurvey,
  retrySurveyAt,
  settleSurvey,
} from '../../store/nps/nps-surveys.ts';
import { undeliverableAmong } from '../mail/mail-suppression.ts';
import { surveyAddress } from './select-nps-recipients.ts';

/** Longer than one send takes, so a live attempt is never taken twice. */
const LEASE_MS = 5 * 60_000;
const DEFAULT_CONCURRENCY = 4;
const READ_SIZE = 25;

export interface DeliverNpsSurveysDependencies {
  sender: MailSender;
  mailSecret: () => Promise<string>;
  now: () => Date;
  /** Sends in flight at once. */
  concurrency?: number;
  /** Stop taking surveys once this returns true (the function's remaining time). */
  outOfTime?: () => boolean;
}

export interface NpsDeliveryOutcome {
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
  throttled: boolean;
}

type SurveyOutcome = 'sent' | 'skipped' | 'retried' | 'failed' | 'throttled' | 'taken';

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The person's address, if a survey may still go to it: the selection's rule, checked again. */
const mailableAddress = async (survey: NpsSurvey): Promise<string | undefined> => {
  const [user, person] = await Promise.all([getUser(survey.user_id), getNpsPerson(survey.user_id)]);
  if (!user || person?.unsubscribed_at) return undefined;
  const address = surveyAddress(user);
  const suppressed = address !== undefined && (await undeliverableAmong([address])).size > 0;
  const verdict = mailability(user, address, suppressed);
  return verdict.mailable ? verdict.address : undefined;
};

const surveyMail = async (survey: NpsSurvey, address: string, secret: string, date: Date) => {
  const token = signSurveyToken(
    {
      kind: 'nps',
      subjectId: survey.user_id,
      userId: survey.user_id,
      occasionId: survey.id,
      expiresAt: Math.floor(Date.parse(survey.expires_at) / 1000),
    },
    secret,
  );
  return composeSurveyMail(
    {
      subject: `How likely are you to recommend ${deskName()}?`,
      intro: `We would like to know how we are doing. It takes one click.`,
      question: npsQuestion(deskName()),
      choices: NPS_SCORES.map((score) => ({
        label: String(score),
        url: surveyPageUrl('nps', token, { score: String(score) }),
      })),
      unsubscribeUrl: `${surveyPageUrl('nps', token)}/unsubscribe`,
    },
    // Stable per survey: a resend after a crash is recognisably the same message.
    { to: address, messageId: `<rd-nps.${survey.id}@${domainOf(supportAddress())}>`, date },
  );
};

const deliverOne = async (
  due: DueSurvey,
  dependencies: DeliverNpsSurveysDependencies,
): Promise<SurveyOutcome> => {
  const startedAt = dependencies.now();
  const survey = await leaseSurvey(due, iso(new Date(startedAt.getTime() + LEASE_MS)));
  if (!survey) return 'taken';
  const address = await mailableAddress(survey);
  if (!address || Date.parse(survey.expires_at) <= startedAt.getTime()) {
    await settleSurvey(survey.id, { status: 'skipped', at: iso(startedAt) });
    return 'skipped';
  }
  try {
    const raw = await surveyMail(survey, address, await dependencies.mailSecret(), startedAt);
    await dependencies.sender.send({ raw, from: supportAddress(), to: [address] });
  } catch (error) {
    const verdict = verdictForSendFailure(error, survey.attempts);
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if ('giveUp' in verdict) {
      await settleSurvey(survey.id, { status: 'failed', at: iso(startedAt), error: message });
      return 'failed';
    }
    const retryAt = new Date(dependencies.now().getTime() + verdict.retryInSeconds * 1000);
    await retrySurveyAt(survey.id, iso(retryAt), message);
    return verdict.throttled ? 'throttled' : 'retried';
  }
  await settleSurvey(survey.id, { status: 'sent', at: iso(dependencies.now()) });
  return 'sent';
};

export const deliverNpsSurveys = async (
  dependencies: DeliverNpsSurveysDependencies,
): Promise<NpsDeliveryOutcome> => {
  const outcome: NpsDeliveryOutcome = { sent: 0, skipped: 0, retried: 0, failed: 0, throttled: false };
  const concurrency = dependencies.concurrency ?? DEFAULT_CONCURRENCY;
  const stop = () => outcome.throttled || (dependencies.outOfTime?.() ?? false);
  while (!stop()) {
    const due = await listDueSurveys(iso(dependencies.now()), READ_SIZE);
    if (due.length === 0) break;
    // A fixed pool of workers over this read: never more than `concurrency` sends at once.
    const pending = [...due];
    const worker = async () => {
      for (let next = pending.shift(); next && !stop(); next = pending.shift()) {
        const result = await deliverOne(next, dependencies);
        if (result === 'throttled') {
          outcome.throttled = true;
          outcome.retried += 1;
        } else if (result !== 'taken') outcome[result] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
  }
  return outcome;
};
