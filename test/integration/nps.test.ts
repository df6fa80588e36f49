/**
 * NPS over DynamoDB Local (the test setup fails any Scan): interactions, the daily selection through
 * the index, the send queue with throttling, answers through signed links, unsubscribe, results API.
 */
import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as npsApi } from '../../functions/api/nps.ts';
import { npsSurveyRoutes } from '../../functions/api/nps-survey-pages.ts';
import { buildUser, type User } from '../../shared/domain/directory/user.ts';
import type { ApiRequest, ApiResult } from '../../shared/http/api-request.ts';
import type { MailSender, OutgoingMail } from '../../shared/mail/mail-sender.ts';
import { allocateUserId, createUser } from '../../shared/store/directory/users.ts';
import { suppressAddress } from '../../shared/store/mail/mail-suppressions.ts';
import { getNpsPerson, recordInteraction, unsubscribePerson } from '../../shared/store/nps/nps-people.ts';
import { getSurvey } from '../../shared/store/nps/nps-surveys.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { recordNpsResponse, unsubscribeFromNps } from '../../shared/use-cases/nps/answer-nps-survey.ts';
import { deliverNpsSurveys } from '../../shared/use-cases/nps/deliver-nps-surveys.ts';
import { updateNpsSettings } from '../../shared/use-cases/nps/manage-nps-settings.ts';
import { selectNpsRecipients } from '../../shared/use-cases/nps/select-nps-recipients.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';
process.env.MAIL_SECRET ??= 'nps-test-secret';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ADMIN = { userId: 1, role: 'admin' } as const;

class RecordingSender implements MailSender {
  readonly sent: OutgoingMail[] = [];
  failures: Error[] = [];
  async send(mail: OutgoingMail) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(mail);
    return { providerMessageId: randomUUID() };
  }
}

const endUser = async (name: string, extra: Partial<User> = {}): Promise<User> =>
  createUser({
    ...buildUser(
      { name, email: `${name}-${randomUUID().slice(0, 6)}@customer.test`, role: 'end-user' },
      await allocateUserId(),
      iso(NOW - 400 * DAY),
    ),
    ...extra,
  });

const select = (nowMs: number, random = Math.random) =>
  asFunction('send-nps-surveys', () => selectNpsRecipients({ nowMs, random }));
const deliver = (sender: MailSender, nowMs: number) =>
  asFunction('deliver-nps-surveys', () =>
    deliverNpsSurveys({
      sender,
      mailSecret: async () => process.env.MAIL_SECRET ?? '',
      now: () => new Date(nowMs),
    }),
  );

/** An answer through a survey link, as the surveys route group records it. */
const answer = (...input: Parameters<typeof recordNpsResponse>) =>
  asFunction('surveys', () => recordNpsResponse(...input));

/** The link for `score` in the survey mail sent to `address`. */
const linkIn = async (sender: RecordingSender, address: string, pattern: RegExp): Promise<string> => {
  const mail = sender.sent.find((candidate) => candidate.to.includes(address));
  if (!mail) throw new Error(`no survey mail to ${address}`);
  const parsed = await simpleParser(mail.raw);
  const url = (parsed.text ?? '').match(pattern)?.[0];
  if (!url) throw new Error(`no link matching ${pattern}`);
  return url;
};
const tokenOf = (url: string) => decodeURIComponent(new URL(url).pathname.split('/')[3] ?? '');

const throttling = () => Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });

describe('NPS on a cadence', () => {
  const sender = new RecordingSender();
  let fresh: User;
  let stale: User;
  let lately: User;
  let longAgo: User;
  let bounced: User;
  let unsubscribed: User;
  let agent: User;
  let queuedToday: number[] = [];

  beforeAll(async () => {
    await updateNpsSettings({ enabled: true, daily_cap: 500, detractor_follow_up: true });
    fresh = await endUser('fresh', { user_fields: { plan: 'free' } });
    stale = await endUser('stale');
    lately = await endUser('lately');
    longAgo = await endUser('longago', { user_fields: { plan: 'pro' } });
    bounced = await endUser('bounced');
    unsubscribed = await endUser('unsub');
    agent = await endUser('agent', { role: 'agent' });
    // Earlier cadence windows: `longAgo` surveyed 100 days ago, `lately` 89 days ago.
    await recordInteraction(longAgo.id, iso(NOW - 101 * DAY));
    expect((await select(NOW - 100 * DAY)).queued).toHaveLength(1);
    await recordInteraction(lately.id, iso(NOW - 90 * DAY));
    expect((await select(NOW - 89 * DAY)).queued).toHaveLength(1);
    for (const user of [fresh, lately, longAgo, bounced, unsubscribed, agent]) {
      await recordInteraction(user.id, iso(NOW - 2 * DAY));
    }
    await recordInteraction(stale.id, iso(NOW - 31 * DAY));
    await suppressAddress({ address: bounced.email ?? '', reason: 'bounce', suppressed_at: iso(NOW - DAY) });
    await unsubscribePerson(unsubscribed.id, iso(NOW - DAY));
  });

  it('moves a last interaction only forward, and never for someone who unsubscribed', async () => {
    expect(await recordInteraction(fresh.id, iso(NOW - 5 * DAY))).toBe(false);
    expect((await getNpsPerson(fresh.id))?.last_interaction_at).toBe(iso(NOW - 2 * DAY));
    expect(await recordInteraction(unsubscribed.id, iso(NOW))).toBe(false);
  });

  it('samples up to the daily cap from people in the window, past the quiet period, who may be mailed', async () => {
    await updateNpsSettings({ daily_cap: 1 });
    const capped = await select(NOW);
    expect(capped.queued).toHaveLength(1);
    await updateNpsSettings({ daily_cap: 500 });
    const rest = await select(NOW);
    queuedToday = [...capped.queued, ...rest.queued];
    const surveyed = await Promise.all(queuedToday.map(async (id) => (await getSurvey(id))?.user_id));
    expect(surveyed.sort()).toEqual([fresh.id, longAgo.id].sort());
    // The bounced address left the candidate index; the unsubscribed person was never in it.
    const person = await getNpsPerson(bounced.id);
    expect(person?.undeliverable_at).toBe(iso(NOW));
    expect(person).not.toHaveProperty('kind');
  });

  it('queues nobody twice when the selection runs again', async () => {
    expect((await select(NOW + 1000)).queued).toEqual([]);
  });

  it('sends through the queue: expired surveys skipped, throttling retried with backoff, never dropped', async () => {
    sender.failures = [throttling()];
    const first = await asFunction('deliver-nps-surveys', () =>
      deliverNpsSurveys({
        sender,
        mailSecret: async () => process.env.MAIL_SECRET ?? '',
        now: () => new Date(NOW),
        concurrency: 1,
      }),
    );
    // The two earlier windows' surveys expired unsent (nothing delivered them then).
    expect(first).toEqual({ sent: 0, skipped: 2, retried: 1, failed: 0, throttled: true });
    const second = await deliver(sender, NOW + 10_000);
    expect(second.sent).toBe(1);
    const third = await deliver(sender, NOW + 31_000);
    expect(third.sent).toBe(1);
    expect(await deliver(sender, NOW + DAY)).toMatchObject({ sent: 0, skipped: 0 });
    expect(sender.sent.map((mail) => mail.to[0]).sort()).toEqual([fresh.email, longAgo.email].sort());
    for (const id of queuedToday) expect((await getSurvey(id))?.status).toBe('sent');
  });

  it('mails the question, one signed link per score and an unsubscribe link and headers', async () => {
    const mail = sender.sent.find((candidate) => candidate.to.includes(fresh.email ?? ''));
    const parsed = await simpleParser(mail?.raw ?? Buffer.alloc(0));
    expect(parsed.text).toContain('On a scale of 0–10, how likely are you to recommend');
    const links = [
      ...(parsed.text ?? '').matchAll(/https:\/\/help\.example\.test\/surveys\/nps\/\S+\?score=(\d+)/g),
    ];
    expect(links.map((match) => Number(match[1]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const raw = mail?.raw.toString('utf8') ?? '';
    expect(raw).toMatch(
      /^List-Unsubscribe:\s+<https:\/\/help\.example\.test\/surveys\/nps\/\S+\/unsubscribe>\r$/m,
    );
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('records an answer once per survey, allows changing it until the link expires, and opens one follow-up', async () => {
    const token = tokenOf(await linkIn(sender, fresh.email ?? '', /\S+\?score=3/));
    const first = await answer(token, { score: 3, comment: 'Too slow to answer' }, NOW + 3600_000);
    expect(first).toMatchObject({ recorded: true, changed: false });
    const ticketId = first.recorded ? first.response.follow_up_ticket_id : null;
    const ticket = await getTicket(ticketId ?? 0);
    expect(ticket?.requester_id).toBe(fresh.id);
    expect(ticket?.tags).toContain('nps_detractor');
    expect(ticket?.description).toBe('Too slow to answer');
    const changed = await answer(token, { score: 5, comment: 'Slow' }, NOW + 7200_000);
    expect(changed).toMatchObject({
      recorded: true,
      changed: true,
      response: { score: 5, follow_up_ticket_id: ticketId },
    });
    expect(await answer(token, { score: 9, comment: '' }, NOW + 15 * DAY)).toEqual({
      recorded: false,
      reason: 'expired',
    });
    expect(await answer(`${token.slice(0, -2)}xx`, { score: 9, comment: '' }, NOW)).toEqual({
      recorded: false,
      reason: 'forged',
    });
  });

  it('unsubscribes through the link, even after it expired, for good', async () => {
    const token = tokenOf(await linkIn(sender, longAgo.email ?? '', /\S+\?score=10/));
    expect(await answer(token, { score: 10, comment: 'Great' }, NOW + DAY)).toMatchObject({
      recorded: true,
    });
    expect((await asFunction('surveys', () => unsubscribeFromNps(token, NOW + 60 * DAY))).valid).toBe(true);
    expect((await getNpsPerson(longAgo.id))?.unsubscribed_at).toBe(iso(NOW + 60 * DAY));
    expect(await recordInteraction(longAgo.id, iso(NOW + 61 * DAY))).toBe(false);
    expect((await select(NOW + 200 * DAY)).queued).toEqual([]);
  });

  it('summarises NPS with counts, a segment and the monthly trend (admins only)', async () => {
    const range = {
      start_time: Math.floor((NOW - DAY) / 1000),
      end_time: Math.floor((NOW + 2 * DAY) / 1000),
    };
    const summary = await callApi(npsApi, {
      method: 'GET',
      path: '/api/v2/nps/summary.json',
      query: { ...range, segment: 'plan' },
      caller: ADMIN,
    });
    expect(summary.status).toBe(200);
    expect(summary.body.nps_summary.overall).toMatchObject({
      responses: 2,
      promoters: 1,
      detractors: 1,
      nps: 0,
    });
    expect(summary.body.nps_summary.segment.values).toEqual([
      expect.objectContaining({ value: 'free', detractors: 1, nps: -100 }),
      expect.objectContaining({ value: 'pro', promoters: 1, nps: 100 }),
    ]);
    expect(summary.body.nps_summary.trend).toEqual([
      expect.objectContaining({ month: '2026-12', responses: 2 }),
    ]);
    const forbidden = await callApi(npsApi, {
      method: 'GET',
      path: '/api/v2/nps/summary.json',
      caller: { userId: agent.id, role: 'agent' },
    });
    expect(forbidden.status).toBe(403);
  });

  it('lists responses by time with a cursor and a score filter', async () => {
    const detractors = await callApi(npsApi, {
      method: 'GET',
      path: '/api/v2/nps/responses.json',
      query: { score: 'detractor', end_time: Math.floor((NOW + 2 * DAY) / 1000) },
      caller: ADMIN,
    });
    expect(detractors.body.responses.map((r: { user_id: number }) => r.user_id)).toEqual([fresh.id]);
    const first = await callApi(npsApi, {
      method: 'GET',
      path: '/api/v2/nps/responses.json',
      query: { 'page[size]': 1, end_time: Math.floor((NOW + 2 * DAY) / 1000) },
      caller: ADMIN,
    });
    expect(first.body.responses).toHaveLength(1);
    expect(first.body.meta.has_more).toBe(true);
    const next = new URL(first.body.links.next);
    const second = await callApi(npsApi, {
      method: 'GET',
      path: `/api/v2/nps/responses.json${next.search}`,
      caller: ADMIN,
    });
    expect(second.body.responses).toHaveLength(1);
    expect(second.body.responses[0].id).not.toBe(first.body.responses[0].id);
    expect(second.body.links.next).toBeNull();
    const bad = await callApi(npsApi, {
      method: 'GET',
      path: '/api/v2/nps/responses.json',
      query: { 'page[after]': 'nope' },
      caller: ADMIN,
    });
    expect(bad.status).toBe(400);
  });

  it('reads and changes the settings, refusing values out of range', async () => {
    const shown = await callApi(npsApi, { method: 'GET', path: '/api/v2/nps/settings.json', caller: ADMIN });
    expect(shown.body.nps_settings).toMatchObject({ enabled: true, interaction_days: 30, quiet_days: 90 });
    const bad = await callApi(npsApi, {
      method: 'PUT',
      path: '/api/v2/nps/settings.json',
      body: { nps_settings: { quiet_days: 0 } },
      caller: ADMIN,
    });
    expect(bad.status).toBe(422);
    const saved = await callApi(npsApi, {
      method: 'PUT',
      path: '/api/v2/nps/settings.json',
      body: { nps_settings: { interaction_days: 45 } },
      caller: ADMIN,
    });
    expect(saved.body.nps_settings).toMatchObject({ interaction_days: 45, quiet_days: 90 });
  });

  it('serves the pages: GET shows and records nothing, the form POST records, unsubscribe needs a POST', async () => {
    const url = new URL(await linkIn(sender, fresh.email ?? '', /\S+\?score=8/));
    const page = (
      key: string,
      body?: Record<string, string>,
      token = tokenOf(url.href),
    ): Promise<ApiResult> => {
      const route = npsSurveyRoutes[key as keyof typeof npsSurveyRoutes];
      if (!route) throw new Error(`no route ${key}`);
      const request: ApiRequest = {
        caller: undefined,
        path: url.pathname,
        pathParameters: { token },
        query: url.searchParams,
        body,
        headers: {},
        publicUrl: 'https://help.example.test',
      };
      return route(request);
    };
    const before = (await getNpsPerson(fresh.id))?.unsubscribed_at;
    const shown = await page('GET /surveys/nps/{token}');
    const text = shown.rawBody?.toString('utf8') ?? '';
    expect(shown.statusCode).toBe(200);
    expect(shown.headers?.['Content-Security-Policy']).toContain("default-src 'none'");
    expect(text).toContain('value="8" checked');
    expect(text).toContain('What is the main reason for your score?');
    // The earlier answer is shown, escaped; nothing changed by showing it.
    expect(text).toContain('Slow');
    const answered = await page('POST /surveys/nps/{token}', { score: '8', comment: '<b>Better</b> now' });
    expect(answered.statusCode).toBe(200);
    const bad = await page('POST /surveys/nps/{token}', { score: '11' });
    expect(bad.statusCode).toBe(400);
    const list = await callApi(npsApi, {
      method: 'GET',
      path: `/api/v2/nps/responses/${(await getNpsPerson(fresh.id))?.last_survey_id}.json`,
      caller: ADMIN,
    });
    expect(list.body.response).toMatchObject({ score: 8, comment: '<b>Better</b> now', category: 'passive' });
    const confirm = await page('GET /surveys/nps/{token}/unsubscribe');
    expect(confirm.rawBody?.toString('utf8')).toContain('<button type="submit">Unsubscribe</button>');
    expect((await getNpsPerson(fresh.id))?.unsubscribed_at).toBe(before);
    const done = await page('POST /surveys/nps/{token}/unsubscribe', { 'List-Unsubscribe': 'One-Click' });
    expect(done.statusCode).toBe(200);
    expect((await getNpsPerson(fresh.id))?.unsubscribed_at).toBeDefined();
    const forged = await page(
      'POST /surveys/nps/{token}/unsubscribe',
      {},
      `${tokenOf(url.href).slice(0, -2)}xx`,
    );
    expect(forged.statusCode).toBe(403);
  });
});
