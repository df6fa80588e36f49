import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as satisfactionRatings } from '../../functions/api/satisfaction-ratings.ts';
import { handler as surveys } from '../../functions/api/surveys.ts';
import { type CsatSettings, csatTimerName } from '../../shared/domain/csat/survey-schedule.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { signSurveyToken } from '../../shared/domain/surveys/survey-token.ts';
import { apiVia } from '../../shared/domain/tickets/ticket.ts';
import type { MailSender, OutgoingMail } from '../../shared/mail/mail-sender.ts';
import type { OneTimeTimers } from '../../shared/runtime/one-time-timers.ts';
import { getSurvey } from '../../shared/store/csat/csat-surveys.ts';
import { readAllAudits } from '../../shared/store/tickets/ticket-metrics.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { scheduleCsatSurvey } from '../../shared/use-cases/csat/schedule-csat-survey.ts';
import { sendCsatSurvey } from '../../shared/use-cases/csat/send-csat-survey.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { apiEvent, callApi, lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';
import { validateAgainst } from '../support/openapi.ts';

useTestTables();
process.env.PUBLIC_URL = 'https://help.example.test';
process.env.MAIL_SECRET = 'csat-test-secret';

const settings: CsatSettings = { delayMinutes: 24 * 60, optOutTag: 'csat_opt_out' };
let agent: User;
let admin: User;
let customer: User;
let mutedCustomer: User;
let scheduled: Map<string, { at: string; payload: unknown }>;
let sent: OutgoingMail[];

const timers: OneTimeTimers = {
  put: async (name, at, payload) => {
    scheduled.set(name, { at, payload });
  },
  delete: async (name) => {
    scheduled.delete(name);
  },
};
const sender: MailSender = {
  send: async (mail) => {
    sent.push(mail);
    return { providerMessageId: `ses-${sent.length}` };
  },
};
const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const staff = (user: User) => ({ userId: user.id, role: user.role, email: user.email ?? '' });

const openTicket = async (requester = customer, tags: string[] = []) => {
  const { ticket } = await createTicket({
    caller: staff(agent),
    via: apiVia(),
    now: nowIso(),
    fields: { subject: 'Printer <on fire>', assignee_id: agent.id, tags },
    requester: requester.id,
    comment: { body: 'It burns', author_id: requester.id },
  });
  return ticket.id;
};

const setStatus = async (ticketId: number, status: 'solved' | 'open' | 'closed') => {
  const { audit } = await updateTicket({
    caller: staff(agent),
    ticketId,
    via: apiVia(),
    now: nowIso,
    fields: { status },
  });
  if (!audit) throw new Error('no audit');
  await asFunction('schedule-csat-surveys', () =>
    scheduleCsatSurvey({ ticketId, auditId: audit.id }, { timers, settings }),
  );
  return audit.id;
};

const fire = (ticketId: number, solveAuditId: number) =>
  asFunction('send-csat-surveys', () =>
    sendCsatSurvey(
      { ticketId, solveAuditId },
      { sender, mailSecret: async () => 'csat-test-secret', now: () => new Date(), settings },
    ),
  );

const linkIn = (mail: OutgoingMail, score: 'good' | 'bad'): string => {
  const raw = decoded(mail);
  const match = new RegExp(
    `https://help\\.example\\.test(/surveys/csat/[A-Za-z0-9_.-]+)\\?score=${score}`,
  ).exec(raw);
  if (!match?.[1]) throw new Error('no survey link in the mail');
  return match[1];
};

/** Survey pages answer HTML, so they are called raw rather than through callApi's JSON parsing. */
const page = async (method: 'GET' | 'POST', path: string, form?: Record<string, string>) => {
  const [pathOnly = '', search = ''] = path.split('?');
  const event = apiEvent({
    method,
    path: pathOnly,
    query: Object.fromEntries(new URLSearchParams(search)),
    caller: 'anonymous',
    ...(form ? { headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
  });
  if (form) event.body = new URLSearchParams(form).toString();
  const response = await surveys(event, lambdaContext());
  return {
    statusCode: response.statusCode,
    headers: response.headers ?? {},
    html: Buffer.from(String(response.body ?? ''), response.isBase64Encoded ? 'base64' : 'utf8').toString(
      'utf8',
    ),
  };
};
const html = (response: { html: string }) => response.html;
const decoded = (mail: OutgoingMail | undefined) =>
  (mail?.raw.toString('utf8') ?? '').replace(/=\r?\n/g, '').replace(/=3D/g, '=');

beforeAll(async () => {
  agent = await createUser({ name: 'Aki', email: 'aki@csat.test', role: 'agent' }, nowIso());
  admin = await createUser({ name: 'Ada', email: 'ada@csat.test', role: 'admin' }, nowIso());
  customer = await createUser({ name: 'Cy', email: 'cy@customer.test' }, nowIso());
  mutedCustomer = await createUser({ name: 'Mo', email: null } as never, nowIso()).catch(() =>
    createUser({ name: 'Mo' }, nowIso()),
  );
});

beforeEach(() => {
  scheduled = new Map();
  sent = [];
});

describe('scheduling CSAT surveys', () => {
  it('puts a timer at solve + 24 h, and a reopen before it fires deletes it', async () => {
    const ticketId = await openTicket();
    const solve = await setStatus(ticketId, 'solved');
    const timer = scheduled.get(csatTimerName(ticketId, solve));
    const audit = (await readAllAudits(ticketId)).find((candidate) => candidate.id === solve);
    expect(Date.parse(timer?.at ?? '') - Date.parse(audit?.created_at ?? '')).toBe(24 * 3_600_000);
    expect(timer?.payload).toEqual({ type: 'csat.survey_due', ticket_id: ticketId, solve_audit_id: solve });

    await setStatus(ticketId, 'open');
    expect(scheduled.size).toBe(0);
    expect((await getSurvey(ticketId, solve))?.state).toBe('cancelled');
    // A timer that fired anyway (it raced the reopen) sends nothing.
    expect(await fire(ticketId, solve)).toEqual({ kind: 'skipped', reason: 'reopened' });
    expect(sent).toHaveLength(0);
  });

  it('treats a ticket created already solved as solved by its creation, and surveys it', async () => {
    const { ticket, audit } = await createTicket({
      caller: staff(agent),
      via: apiVia(),
      now: nowIso(),
      fields: { subject: 'Solved on the phone', assignee_id: agent.id, status: 'solved' },
      requester: customer.id,
      comment: { body: 'Fixed while we talked', author_id: agent.id },
    });
    expect(
      await asFunction('schedule-csat-surveys', () =>
        scheduleCsatSurvey({ ticketId: ticket.id, auditId: audit.id }, { timers, settings }),
      ),
    ).toBe('scheduled');
    expect(Date.parse(scheduled.get(csatTimerName(ticket.id, audit.id))?.at ?? '')).toBe(
      Date.parse(audit.created_at) + 24 * 3_600_000,
    );
    expect(await fire(ticket.id, audit.id)).toEqual({ kind: 'sent' });
    expect(sent[0]?.to).toEqual(['cy@customer.test']);
  });

  it('puts no timer for a ticket created open', async () => {
    const { ticket, audit } = await createTicket({
      caller: staff(agent),
      via: apiVia(),
      now: nowIso(),
      fields: { subject: 'Still broken' },
      requester: customer.id,
      comment: { body: 'Help', author_id: customer.id },
    });
    expect(
      await asFunction('schedule-csat-surveys', () =>
        scheduleCsatSurvey({ ticketId: ticket.id, auditId: audit.id }, { timers, settings }),
      ),
    ).toBe('unchanged');
    expect(scheduled.size).toBe(0);
  });
});

describe('sending a CSAT survey when its timer fires', () => {
  it('mails Good and Bad links once per solve, marks the ticket offered, and ignores redelivery', async () => {
    const ticketId = await openTicket();
    const solve = await setStatus(ticketId, 'solved');
    expect(await fire(ticketId, solve)).toEqual({ kind: 'sent' });
    expect(await fire(ticketId, solve)).toEqual({ kind: 'already_handled' });
    expect(sent).toHaveLength(1);
    const raw = decoded(sent[0]);
    expect(raw).toContain('How would you rate the support you received?');
    expect(raw).not.toMatch(/List-Unsubscribe/i);
    expect(raw).toMatch(/Auto-Submitted: auto-generated/);
    expect(sent[0]?.to).toEqual(['cy@customer.test']);
    expect((await getTicket(ticketId))?.satisfaction_rating?.score).toBe('offered');
  });

  it.each([['an opted-out ticket', ['csat_opt_out'], 'opted_out']])(
    'skips %s',
    async (_name, tags, reason) => {
      const ticketId = await openTicket(customer, tags);
      const solve = await setStatus(ticketId, 'solved');
      expect(await fire(ticketId, solve)).toEqual({ kind: 'skipped', reason });
      expect(sent).toHaveLength(0);
    },
  );

  it('skips a requester without an email address', async () => {
    const ticketId = await openTicket(mutedCustomer);
    const solve = await setStatus(ticketId, 'solved');
    expect(await fire(ticketId, solve)).toEqual({ kind: 'skipped', reason: 'no_deliverable_email' });
  });
});

describe('survey pages', () => {
  const surveyed = async () => {
    const ticketId = await openTicket();
    const solve = await setStatus(ticketId, 'solved');
    await fire(ticketId, solve);
    const mail = sent.at(-1);
    if (!mail) throw new Error('no mail');
    return { ticketId, solve, good: linkIn(mail, 'good'), bad: linkIn(mail, 'bad') };
  };

  it('GET shows the form with the score pre-selected and records nothing; POST records once and may change', async () => {
    const { ticketId, bad } = await surveyed();
    const shown = await page('GET', `${bad}?score=bad`);
    expect(shown.statusCode).toBe(200);
    expect(shown.headers?.['Content-Security-Policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    );
    expect(shown.headers?.['X-Frame-Options']).toBe('DENY');
    expect(html(shown)).toMatch(/value="bad" checked/);
    expect(html(shown)).toContain('Printer &lt;on fire&gt;');
    expect(html(shown)).toContain('The issue was not resolved');
    expect((await getTicket(ticketId))?.satisfaction_rating?.score).toBe('offered');

    const posted = await page('POST', bad, { score: 'bad', comment: '<b>slow</b>', reason_code: '5' });
    expect(posted.statusCode).toBe(200);
    expect(html(posted)).toContain('is recorded');
    const rated = await getTicket(ticketId);
    expect(rated?.satisfaction_rating).toMatchObject({
      score: 'bad',
      comment: '<b>slow</b>',
      reason_code: 5,
    });
    expect(rated?.satisfaction_score).toBe('bad_with_comment');
    const audits = await readAllAudits(ticketId);
    expect(audits.at(-1)?.events).toEqual([
      expect.objectContaining({
        type: 'Change',
        field_name: 'satisfaction_score',
        value: 'bad_with_comment',
        previous_value: 'offered',
      }),
    ]);

    const changed = await page('POST', bad, { score: 'good', comment: '' });
    expect(changed.statusCode).toBe(200);
    const again = await getTicket(ticketId);
    expect(again?.satisfaction_rating).toMatchObject({
      score: 'good',
      comment: null,
      reason_code: null,
      id: rated?.satisfaction_rating?.id,
    });
  });

  it('refuses tampered, expired and other-solve tokens with a page, changing nothing', async () => {
    const { ticketId, solve, good } = await surveyed();
    const token = good.split('/').at(-1) ?? '';
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const forged = await page('POST', `/surveys/csat/${tampered}`, { score: 'good' });
    expect(forged.statusCode).toBe(403);
    expect(html(forged)).toContain('This survey link is not valid');

    const expired = signSurveyToken(
      {
        kind: 'csat',
        subjectId: ticketId,
        userId: customer.id,
        occasionId: solve,
        expiresAt: Math.floor(Date.now() / 1000) - 1,
      },
      'csat-test-secret',
    );
    expect((await page('GET', `/surveys/csat/${expired}`)).statusCode).toBe(410);

    // Reopened and solved again: the first solve's link is replayed for a solve it was not made for.
    await setStatus(ticketId, 'open');
    await setStatus(ticketId, 'solved');
    const replayed = await page('POST', good, { score: 'good' });
    expect(replayed.statusCode).toBe(409);
    expect(html(replayed)).toContain('earlier resolution');
    expect((await getTicket(ticketId))?.satisfaction_rating?.score).toBe('offered');
  });
});

describe('the satisfaction ratings API', () => {
  it('lets the requester rate by API, lists and shows ratings for admins, and summarizes', async () => {
    const ticketId = await openTicket();
    await setStatus(ticketId, 'solved');
    const agentTry = await callApi(satisfactionRatings, {
      method: 'POST',
      path: `/api/v2/tickets/${ticketId}/satisfaction_rating.json`,
      caller: staff(agent),
      body: { satisfaction_rating: { score: 'good' } },
    });
    expect(agentTry.status).toBe(403);
    const goodWithReason = await callApi(satisfactionRatings, {
      method: 'POST',
      path: `/api/v2/tickets/${ticketId}/satisfaction_rating.json`,
      caller: staff(customer),
      body: { satisfaction_rating: { score: 'good', reason_code: 5 } },
    });
    expect(goodWithReason.status).toBe(422);
    const offeredScore = await callApi(satisfactionRatings, {
      method: 'POST',
      path: `/api/v2/tickets/${ticketId}/satisfaction_rating.json`,
      caller: staff(customer),
      body: { satisfaction_rating: { score: 'offered' } },
    });
    expect(offeredScore.status).toBe(422);
    const rated = await callApi(satisfactionRatings, {
      method: 'POST',
      path: `/api/v2/tickets/${ticketId}/satisfaction_rating.json`,
      caller: staff(customer),
      body: { satisfaction_rating: { score: 'good', comment: 'Thanks!' } },
    });
    expect(rated.status).toBe(200);
    const rating = rated.body.satisfaction_rating;
    expect(rating).toMatchObject({
      ticket_id: ticketId,
      score: 'good',
      comment: 'Thanks!',
      assignee_id: agent.id,
    });

    const list = await callApi(satisfactionRatings, {
      method: 'GET',
      path: '/api/v2/satisfaction_ratings.json',
      query: { 'page[size]': 100, score: 'good_with_comment' },
      caller: staff(admin),
    });
    expect(list.status).toBe(200);
    const body = list.body;
    expect(body.satisfaction_ratings.map((r: { id: number }) => r.id)).toContain(rating.id);
    expect(body.links.next).toBeNull();
    validateAgainst('SatisfactionRatingsResponse', {
      satisfaction_ratings: body.satisfaction_ratings.filter(
        (r: { group_id: unknown }) => r.group_id !== null,
      ),
    });

    const without = await callApi(satisfactionRatings, {
      method: 'GET',
      path: '/api/v2/satisfaction_ratings.json',
      query: { score: 'bad' },
      caller: staff(admin),
    });
    expect(without.body.satisfaction_ratings.map((r: { id: number }) => r.id)).not.toContain(rating.id);

    const shown = await callApi(satisfactionRatings, {
      method: 'GET',
      path: `/api/v2/satisfaction_ratings/${rating.id}.json`,
      caller: staff(admin),
    });
    expect(shown.body.satisfaction_rating.id).toBe(rating.id);
    const forbidden = await callApi(satisfactionRatings, {
      method: 'GET',
      path: `/api/v2/satisfaction_ratings/${rating.id}.json`,
      caller: staff(agent),
    });
    expect(forbidden.status).toBe(403);

    const summary = await callApi(satisfactionRatings, {
      method: 'GET',
      path: '/api/v2/satisfaction_ratings/summary.json',
      caller: staff(admin),
    });
    const figures = summary.body.satisfaction_summary;
    expect(figures.good).toBeGreaterThanOrEqual(1);
    expect(
      figures.by_assignee.find((row: { assignee_id: number }) => row.assignee_id === agent.id),
    ).toBeDefined();

    const reasons = await callApi(satisfactionRatings, {
      method: 'GET',
      path: '/api/v2/satisfaction_reasons.json',
      caller: staff(admin),
    });
    validateAgainst('SatisfactionReasonsResponse', reasons.body);
  });
});
