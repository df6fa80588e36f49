/** NPS arithmetic, the selection rules (window, quiet period, cap, who may be mailed) and send retries. */
import { describe, expect, it } from 'vitest';
import { isThrottling, verdictForSendFailure } from '../../shared/domain/nps/nps-delivery.ts';
import { categoryOf, roundPercent, tallyScores } from '../../shared/domain/nps/nps-score.ts';
import {
  drawSample,
  mailability,
  type NpsCandidate,
  selectionWindow,
  shuffled,
  withinWindow,
} from '../../shared/domain/nps/nps-selection.ts';

describe('NPS score', () => {
  it.each([
    [0, 'detractor'],
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
    [10, 'promoter'],
  ] as const)('puts %i among the %s', (score, category) => {
    expect(categoryOf(score)).toBe(category);
  });

  it.each([-1, 11, 7.5])('refuses %s as a score', (score) => {
    expect(() => categoryOf(score)).toThrow(RangeError);
  });

  it.each([
    { name: 'no responses', scores: [], nps: null, promoters: null, detractors: null },
    { name: 'all passives', scores: [7, 8, 7], nps: 0, promoters: 0, detractors: 0 },
    { name: 'all promoters', scores: [9, 10], nps: 100, promoters: 100, detractors: 0 },
    { name: 'all detractors', scores: [0, 6], nps: -100, promoters: 0, detractors: 100 },
    { name: 'a third each', scores: [10, 8, 3], nps: 0, promoters: 33.3, detractors: 33.3 },
    { name: 'two promoters of three', scores: [9, 9, 7], nps: 66.7, promoters: 66.7, detractors: 0 },
    { name: 'two detractors of three', scores: [1, 2, 8], nps: -66.7, promoters: 0, detractors: 66.7 },
    // 1 of 8 = 12.5 exactly: half away from zero, in both directions.
    { name: 'half a tenth up', scores: [9, 7, 7, 7, 7, 7, 7, 7], nps: 12.5, promoters: 12.5, detractors: 0 },
    { name: 'one of six', scores: [10, 8, 8, 8, 8, 8], nps: 16.7, promoters: 16.7, detractors: 0 },
    {
      name: 'rounded once, from counts',
      scores: [9, 9, 0, 7, 7, 7],
      nps: 16.7,
      promoters: 33.3,
      detractors: 16.7,
    },
  ])('tallies $name', ({ scores, nps, promoters, detractors }) => {
    const tally = tallyScores(scores);
    expect(tally.responses).toBe(scores.length);
    expect(tally.nps).toBe(nps);
    expect(tally.promoter_percent).toBe(promoters);
    expect(tally.detractor_percent).toBe(detractors);
    expect(tally.promoters + tally.passives + tally.detractors).toBe(scores.length);
  });

  it.each([
    [12.45, 12.5],
    [-12.45, -12.5],
    [33.333, 33.3],
    [-0.04, -0],
  ])('rounds %f to %f', (value, rounded) => {
    expect(roundPercent(value)).toBe(rounded);
  });
});

const NOW = Date.parse('2026-12-01T12:00:00Z');
const settings = { interaction_days: 30, quiet_days: 90 };
const candidate = (userId: number, lastInteractionAt: string, surveyedAt?: string): NpsCandidate => ({
  userId,
  lastInteractionAt,
  surveyedAt,
});

describe('NPS selection', () => {
  it('opens the window N days back and the quiet period 90 days back', () => {
    expect(selectionWindow(NOW, settings)).toEqual({
      interactedSince: '2026-11-01T12:00:00Z',
      surveyedBefore: '2026-09-02T12:00:00Z',
    });
  });

  it.each([
    { name: 'interacted yesterday, never surveyed', c: candidate(1, '2026-11-30T00:00:00Z'), in: true },
    { name: 'interacted exactly at the window start', c: candidate(1, '2026-11-01T12:00:00Z'), in: true },
    { name: 'interacted 31 days ago', c: candidate(1, '2026-10-31T12:00:00Z'), in: false },
    {
      name: 'surveyed 100 days ago',
      c: candidate(1, '2026-11-30T00:00:00Z', '2026-08-23T12:00:00Z'),
      in: true,
    },
    {
      name: 'surveyed 89 days ago',
      c: candidate(1, '2026-11-30T00:00:00Z', '2026-09-03T12:00:00Z'),
      in: false,
    },
    {
      name: 'surveyed exactly 90 days ago',
      c: candidate(1, '2026-11-30T00:00:00Z', '2026-09-02T12:00:00Z'),
      in: false,
    },
  ])('$name: in the window is $in', ({ c, in: expected }) => {
    expect(withinWindow(c, selectionWindow(NOW, settings))).toBe(expected);
  });

  const endUser = { role: 'end-user', active: true, suspended: false, email: 'ann@example.com' } as const;
  it.each([
    {
      name: 'an active end-user',
      user: endUser,
      address: 'ann@example.com',
      suppressed: false,
      verdict: true,
    },
    {
      name: 'an agent',
      user: { ...endUser, role: 'agent' as const },
      address: 'ann@example.com',
      suppressed: false,
      verdict: 'not_end_user',
    },
    {
      name: 'a suspended user',
      user: { ...endUser, suspended: true },
      address: 'ann@example.com',
      suppressed: false,
      verdict: 'inactive',
    },
    {
      name: 'a deleted user',
      user: { ...endUser, active: false },
      address: 'ann@example.com',
      suppressed: false,
      verdict: 'inactive',
    },
    {
      name: 'no address',
      user: { ...endUser, email: null },
      address: undefined,
      suppressed: false,
      verdict: 'no_address',
    },
    {
      name: 'a bounced address',
      user: endUser,
      address: 'ann@example.com',
      suppressed: true,
      verdict: 'undeliverable',
    },
    {
      name: 'an address marked undeliverable on the user',
      user: {
        ...endUser,
        email_undeliverable: { address: 'ann@example.com', reason: 'bounce', at: '2026-01-01T00:00:00Z' },
      },
      address: 'ann@example.com',
      suppressed: false,
      verdict: 'undeliverable',
    },
  ])('mails $name: $verdict', ({ user, address, suppressed, verdict }) => {
    const result = mailability(user, address, suppressed);
    if (verdict === true) expect(result).toEqual({ mailable: true, address });
    else expect(result).toEqual({ mailable: false, reason: verdict });
  });

  const many = Array.from({ length: 250 }, (_, i) => candidate(i + 1, '2026-11-30T00:00:00Z'));
  const seeded = (seed: number) => () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };

  it('stops at the cap, even when a chunk holds more mailable people', async () => {
    const asked: number[] = [];
    const chosen = await drawSample(many, {
      cap: 120,
      random: seeded(7),
      chunkSize: 100,
      choose: async (chunk, remaining) => {
        asked.push(chunk.length);
        return chunk.slice(0, remaining).map((c) => c.userId);
      },
    });
    expect(chosen).toHaveLength(120);
    expect(new Set(chosen).size).toBe(120);
    // The third chunk is never read: the cap was met after two.
    expect(asked).toEqual([100, 100]);
  });

  it('keeps drawing past people who may not be mailed, until the candidates run out', async () => {
    const chosen = await drawSample(many, {
      cap: 500,
      random: seeded(3),
      chunkSize: 100,
      choose: async (chunk) => chunk.filter((c) => c.userId % 2 === 0).map((c) => c.userId),
    });
    expect(chosen).toHaveLength(125);
    expect(chosen.every((id) => id % 2 === 0)).toBe(true);
  });

  it('chooses nobody with a cap of zero', async () => {
    const chosen = await drawSample(many, {
      cap: 0,
      random: Math.random,
      chunkSize: 100,
      choose: async () => {
        throw new Error('not asked');
      },
    });
    expect(chosen).toEqual([]);
  });

  it('samples uniformly: every position is equally likely for every person', () => {
    const runs = 20_000;
    const firstCounts = new Map<number, number>();
    const random = seeded(11);
    for (let run = 0; run < runs; run++) {
      const first = shuffled([1, 2, 3, 4], random)[0] as number;
      firstCounts.set(first, (firstCounts.get(first) ?? 0) + 1);
    }
    for (const person of [1, 2, 3, 4]) {
      expect(Math.abs((firstCounts.get(person) ?? 0) / runs - 0.25)).toBeLessThan(0.02);
    }
  });
});

describe('NPS send retries', () => {
  const throttle = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
  const rejected = Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });

  it('knows SES throttling by name or by a 429', () => {
    expect(isThrottling(throttle)).toBe(true);
    expect(isThrottling(Object.assign(new Error('slow down'), { $metadata: { httpStatusCode: 429 } }))).toBe(
      true,
    );
    expect(isThrottling(rejected)).toBe(false);
  });

  it.each([1, 8, 50])('never gives up on throttling (attempt %i)', (attempt) => {
    const verdict = verdictForSendFailure(throttle, attempt);
    expect(verdict).toMatchObject({ throttled: true });
    expect('retryInSeconds' in verdict && verdict.retryInSeconds).toBeGreaterThan(0);
  });

  it('backs off exponentially, then gives up on other failures after the last attempt', () => {
    expect(verdictForSendFailure(rejected, 1)).toEqual({ retryInSeconds: 30, throttled: false });
    expect(verdictForSendFailure(rejected, 2)).toEqual({ retryInSeconds: 60, throttled: false });
    expect(verdictForSendFailure(rejected, 8)).toEqual({ giveUp: true });
  });
});
