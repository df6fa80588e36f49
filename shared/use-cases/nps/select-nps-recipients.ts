/**
 * The daily NPS selection (the send-nps-surveys schedule).
 *
 * Primary course: 1. read the settings (nothing happens while NPS is off); 2. read the candidates
 * from the index: people who interacted within the window and were not surveyed within the quiet
 * period; 3. in random order, take people in chunks, read their user records and the suppression list,
 * and queue a survey for each one who may be mailed, until the daily cap; 4. each survey is queued in
 * one transaction with the person's "surveyed" claim, so a rerun or a concurrent run queues nobody twice.
 * Alternate course: a person whose address bounced or complained leaves the candidate index.
 */
import type { User } from '../../domain/directory/user.ts';
import {
  drawSample,
  mailability,
  type NpsCandidate,
  selectionWindow,
} from '../../domain/nps/nps-selection.ts';
import { normalizeAddress } from '../../mail/addresses.ts';
import { isSystemAddress } from '../../mail/inbound/automated-mail.ts';
import { getUsers } from '../../store/directory/users.ts';
import { listCandidates, markPersonUndeliverable, surveyClaimItem } from '../../store/nps/nps-people.ts';
import { getNpsSettings } from '../../store/nps/nps-settings.ts';
import { allocateSurveyId, queuedSurveyItem } from '../../store/nps/nps-surveys.ts';
import { TransactionConflict, writeTransaction } from '../../store/transactions.ts';
import { undeliverableAmong } from '../mail/mail-suppression.ts';

const CHUNK_SIZE = 100;
const DAY_MS = 86_400_000;

export interface NpsSelectionOutcome {
  enabled: boolean;
  candidates: number;
  queued: number[];
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The user's address if surveys may go to it (our own and no-reply style addresses never). */
export const surveyAddress = (user: User): string | undefined => {
  const address = normalizeAddress(user.email);
  return address && !isSystemAddress(address) ? address : undefined;
};

export const selectNpsRecipients = async ({
  nowMs,
  random,
}: {
  nowMs: number;
  random: () => number;
}): Promise<NpsSelectionOutcome> => {
  const settings = await getNpsSettings();
  if (!settings.enabled) return { enabled: false, candidates: 0, queued: [] };
  const window = selectionWindow(nowMs, settings);
  const candidates = await listCandidates(window);
  const now = iso(nowMs);
  const expiresAt = iso(nowMs + settings.response_days * DAY_MS);

  const queueSurvey = async (userId: number): Promise<number | undefined> => {
    const surveyId = await allocateSurveyId();
    try {
      await writeTransaction([
        { label: 'claim', item: surveyClaimItem(userId, surveyId, now, window.surveyedBefore) },
        {
          label: 'survey',
          item: queuedSurveyItem({
            id: surveyId,
            user_id: userId,
            status: 'queued',
            created_at: now,
            expires_at: expiresAt,
            attempts: 0,
            sent_at: null,
            last_error: null,
          }),
        },
      ]);
      return surveyId;
    } catch (error) {
      // Surveyed by a concurrent run, or unsubscribed since the read: not ours to survey.
      if (error instanceof TransactionConflict) return undefined;
      throw error;
    }
  };

  const choose = async (chunk: readonly NpsCandidate[], remaining: number): Promise<number[]> => {
    const users = new Map((await getUsers(chunk.map((c) => c.userId))).map((user) => [user.id, user]));
    const addresses = [...users.values()].flatMap((user) => surveyAddress(user) ?? []);
    const suppressed = await undeliverableAmong(addresses);
    const queued: number[] = [];
    for (const candidate of chunk) {
      if (queued.length >= remaining) break;
      const user = users.get(candidate.userId);
      if (!user) continue;
      const address = surveyAddress(user);
      const verdict = mailability(user, address, address !== undefined && suppressed.has(address));
      if (!verdict.mailable) {
        if (verdict.reason === 'undeliverable') await markPersonUndeliverable(user.id, now);
        continue;
      }
      const surveyId = await queueSurvey(user.id);
      if (surveyId !== undefined) queued.push(surveyId);
    }
    return queued;
  };

  const queued = await drawSample(candidates, {
    cap: settings.daily_cap,
    random,
    chunkSize: CHUNK_SIZE,
    choose,
  });
  return { enabled: true, candidates: candidates.length, queued };
};
