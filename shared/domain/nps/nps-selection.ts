/**
 * Who gets today's NPS survey. The store narrows the field through its index to people who interacted
 * within the window and were not surveyed within the quiet period (`selectionWindow`); this module
 * draws the day's sample from them uniformly (a random order, then the first `cap` who may be mailed)
 * and decides who may be mailed at all. Randomness and time are arguments, so tests fix both.
 */
import { type EmailUndeliverable, emailUndeliverable, type User } from '../directory/user.ts';
import type { NpsSettings } from './nps-settings.ts';

const DAY_MS = 86_400_000;

export interface SelectionWindow {
  /** Only people whose last interaction is at or after this instant. */
  interactedSince: string;
  /** Only people never surveyed, or last surveyed before this instant. */
  surveyedBefore: string;
}

export const selectionWindow = (
  nowMs: number,
  settings: Pick<NpsSettings, 'interaction_days' | 'quiet_days'>,
): SelectionWindow => ({
  interactedSince: isoSeconds(nowMs - settings.interaction_days * DAY_MS),
  surveyedBefore: isoSeconds(nowMs - settings.quiet_days * DAY_MS),
});

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A person the index returned: eligible by time, not yet checked for deliverability. */
export interface NpsCandidate {
  userId: number;
  lastInteractionAt: string;
  surveyedAt: string | undefined;
}

/** The same rule the index query applies, for callers holding candidates already. */
export const withinWindow = (candidate: NpsCandidate, window: SelectionWindow): boolean =>
  candidate.lastInteractionAt >= window.interactedSince &&
  (candidate.surveyedAt === undefined || candidate.surveyedAt < window.surveyedBefore);

/** Fisher–Yates over a copy: every order equally likely when `random` is uniform on [0, 1). */
export const shuffled = <T>(items: readonly T[], random: () => number): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

export type Mailability =
  | { mailable: true; address: string }
  | { mailable: false; reason: 'not_end_user' | 'inactive' | 'no_address' | 'undeliverable' };

/**
 * Surveys go to active end-users with a plain, deliverable address. `address` is the user's email
 * normalised (or undefined when it is not a usable addr-spec); `suppressed` says whether the
 * suppression list (bounces, complaints) holds it.
 */
export const mailability = (
  user: Pick<User, 'role' | 'active' | 'suspended' | 'email'> & {
    email_undeliverable?: EmailUndeliverable | null | undefined;
  },
  address: string | undefined,
  suppressed: boolean,
): Mailability => {
  if (user.role !== 'end-user') return { mailable: false, reason: 'not_end_user' };
  if (!user.active || user.suspended) return { mailable: false, reason: 'inactive' };
  if (!address) return { mailable: false, reason: 'no_address' };
  if (suppressed || emailUndeliverable(user)) return { mailable: false, reason: 'undeliverable' };
  return { mailable: true, address };
};

/**
 * Walks the candidates in random order in chunks, asking `mailable` about each chunk, until `cap`
 * people are chosen or the candidates run out. Chunks keep the lookups batched; stopping early keeps
 * a 500-a-day cap from reading every user record behind a large window.
 */
export const drawSample = async <T>(
  candidates: readonly NpsCandidate[],
  options: {
    cap: number;
    random: () => number;
    chunkSize: number;
    /** Chooses at most `remaining` of the chunk, in the order given. */
    choose: (chunk: readonly NpsCandidate[], remaining: number) => Promise<T[]>;
  },
): Promise<T[]> => {
  const chosen: T[] = [];
  const order = shuffled(candidates, options.random);
  for (let start = 0; start < order.length && chosen.length < options.cap; start += options.chunkSize) {
    const remaining = options.cap - chosen.length;
    const picked = await options.choose(order.slice(start, start + options.chunkSize), remaining);
    chosen.push(...picked.slice(0, remaining));
  }
  return chosen;
};
