/**
 * End to end, NPS on the local runtime booted as `npm start` boots it: an admin turns NPS on (with
 * detractor follow-up); a customer's ticket makes them a candidate; the daily selection and the
 * delivery job, run through the local scheduler, put the survey mail in the local SES store. Its score
 * link (GET) only shows the form; the form's POST, sent as a browser sends it, records the answer,
 * which shows in the responses, the summary and a follow-up ticket from the customer. A forged link is
 * refused, and the next day's selection surveys a newcomer but not the customer again.
 */
import { describe, expect, it } from 'vitest';
import {
  advanceClock,
  eventually,
  type StoredMail,
  sentMail,
  useLocalRuntime,
} from '../support/e2e-runtime.ts';
import type { Loose } from '../support/zendesk-client.ts';

const ADMIN_EMAIL = 'admin@relaydesk-nps-e2e.test';
const ADMIN_TOKEN = 'nps-e2e-admin-token-0123456789';
const CUSTOMER = 'surveyed-customer@example.test';
const NEWCOMER = 'newcomer-customer@example.test';
const SURVEY_SUBJECT = 'How likely are you to recommend Relaydesk Support?';
const QUESTION =
  'On a scale of 0–10, how likely are you to recommend Relaydesk Support to a friend or colleague?';
const COMMENT = 'Three days to get an answer about my invoice.';

const local = useLocalRuntime({ email: ADMIN_EMAIL, token: ADMIN_TOKEN });

/** Our NPS endpoints are an extension node-zendesk does not know: plain HTTP as the admin. */
const adminApi = async (method: string, path: string, body?: unknown): Promise<Loose> => {
  const response = await fetch(`${local.runtime().baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${ADMIN_EMAIL}/token:${ADMIN_TOKEN}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${path}`).toBe(200);
  return response.json();
};

const runSchedule = async (name: string) => {
  const response = await fetch(`${local.runtime().baseUrl}/_local/schedules/${name}/run`, { method: 'POST' });
  expect(response.status, await response.clone().text()).toBe(200);
};

/** The daily selection, then the delivery job; each POST answers once its run has finished. */
const runDailySurveys = async () => {
  await runSchedule('send-nps-surveys');
  await runSchedule('deliver-nps-surveys');
};

const surveysTo = async (address: string): Promise<StoredMail[]> =>
  (await sentMail(local.runtime())).filter(
    (mail) => mail.subject === SURVEY_SUBJECT && mail.destination.to.some((to) => to.includes(address)),
  );

/** Runs the day's surveys until the person's mail is out (their interaction is recorded asynchronously). */
const surveyFor = (address: string): Promise<StoredMail> =>
  eventually(local.runtime(), `the NPS survey to ${address}`, async () => {
    await runDailySurveys();
    return (await surveysTo(address))[0];
  });

const responses = async (): Promise<Loose[]> => (await adminApi('GET', '/api/v2/nps/responses')).responses;

/** A customer with a ticket of their own: the ticket event marks them as having interacted. */
const customerWithTicket = async (name: string, email: string): Promise<Loose> => {
  const client = local.client();
  const { result: customer } = await client.users.create({ user: { name, email, verified: true } });
  await client.tickets.create({
    ticket: {
      subject: 'Invoice question',
      requester_id: customer.id,
      comment: { body: 'Where is my March invoice?', author_id: customer.id },
    },
  });
  return customer;
};

/** The one form on a page, submitted as a browser would: its action resolved, its fields' values. */
const submitForm = async (pageUrl: string, html: string, typed: Record<string, string>) => {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/.exec(html);
  expect(form, html).not.toBeNull();
  const [, attributes = '', inner = ''] = form ?? [];
  expect(attributes).toMatch(/method="post"/i);
  const action = new URL(/action="([^"]*)"/.exec(attributes)?.[1] ?? '', pageUrl);
  const fields = new URLSearchParams();
  for (const [input] of inner.matchAll(/<input\b[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input)?.[1];
    const type = /type="([^"]*)"/.exec(input)?.[1] ?? 'text';
    const value = /value="([^"]*)"/.exec(input)?.[1] ?? '';
    if (!name || ((type === 'radio' || type === 'checkbox') && !/\schecked\b/.test(input))) continue;
    fields.append(name, value);
  }
  for (const [, name = ''] of inner.matchAll(/<textarea\b[^>]*name="([^"]*)"[^>]*>/g)) {
    fields.append(name, typed[name] ?? '');
  }
  return fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
};

/** One character of the token's MAC changed: a link someone edited by hand. */
const forged = (link: string): string => {
  const url = new URL(link);
  const token = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  const at = token.lastIndexOf('.') + 5;
  const changed = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
  url.pathname = url.pathname.replace(encodeURIComponent(token), encodeURIComponent(changed));
  return url.toString();
};

describe('NPS, locally', () => {
  it('surveys a customer once, records the answer posted from the page, and follows up a detractor', async () => {
    const client = local.client();
    const { nps_settings: settings } = await adminApi('PUT', '/api/v2/nps/settings', {
      nps_settings: { enabled: true, detractor_follow_up: true },
    });
    expect(settings).toMatchObject({ enabled: true, detractor_follow_up: true, quiet_days: 90 });

    const customer = await customerWithTicket('Sam Surveyed', CUSTOMER);
    const survey = await surveyFor(CUSTOMER);

    const text = survey.body.text ?? '';
    expect(text).toContain(QUESTION);
    const scoreLinks = [...text.matchAll(/^(\d+): (\S+)$/gm)].map(([, score, url]) => ({ score, url }));
    expect(scoreLinks.map((link) => Number(link.score))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const { score, url } of scoreLinks) {
      expect(url).toMatch(
        new RegExp(`^${local.runtime().baseUrl}/surveys/nps/[A-Za-z0-9_.-]+\\?score=${score}$`),
      );
    }
    // The HTML part carries the same eleven links as buttons.
    expect(survey.body.html?.match(/href="[^"]*\/surveys\/nps\/[^"]*\?score=\d+"/g)).toHaveLength(11);
    // aws-ses-v2-local keeps no headers of raw mail, so List-Unsubscribe cannot be read here; the
    // footer link it mirrors can, and its GET only asks for confirmation.
    const unsubscribeLink = /To stop receiving these surveys: (\S+)/.exec(text)?.[1];
    expect(unsubscribeLink).toMatch(
      new RegExp(`^${local.runtime().baseUrl}/surveys/nps/[A-Za-z0-9_.-]+/unsubscribe$`),
    );
    const unsubscribePage = await fetch(unsubscribeLink as string);
    expect(unsubscribePage.status).toBe(200);
    expect(await unsubscribePage.text()).toContain('<button type="submit">Unsubscribe</button>');

    // A mail scanner's prefetch of score 3: the page shows the choice and records nothing.
    const scoreThree = scoreLinks[3]?.url as string;
    const page = await fetch(scoreThree);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('What is the main reason for your score?');
    expect(html).toMatch(/value="3" checked/);
    expect(await responses()).toEqual([]);

    // The customer sends the form with a comment.
    const posted = await submitForm(scoreThree, html, { comment: COMMENT });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('Your score of 3 is recorded.');

    const [response, ...others] = await responses();
    expect(others).toEqual([]);
    expect(response).toMatchObject({
      user_id: customer.id,
      score: 3,
      category: 'detractor',
      comment: COMMENT,
    });
    const { nps_summary: summary } = await adminApi('GET', '/api/v2/nps/summary');
    expect(summary.overall).toMatchObject({
      responses: 1,
      detractors: 1,
      promoters: 0,
      passives: 0,
      nps: -100,
    });

    const requested: Loose[] = await client.tickets.listByUserRequested(customer.id);
    const followUps = requested.filter((ticket) => ticket.tags.includes('nps_detractor'));
    expect(followUps).toHaveLength(1);
    expect(followUps[0]).toMatchObject({
      id: response.follow_up_ticket_id,
      requester_id: customer.id,
      description: COMMENT,
    });

    // A link with one character of its signature changed: refused with a page, nothing recorded.
    const forgedLink = forged(scoreThree);
    expect(forgedLink).not.toBe(scoreThree);
    for (const attempt of [
      fetch(forgedLink),
      fetch(forgedLink, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ score: '10', comment: 'Forged' }).toString(),
        redirect: 'manual',
      }),
    ]) {
      const refused = await attempt;
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await refused.text()).toContain('This survey link is not valid.');
    }
    expect(await responses()).toEqual([response]);

    // The next day: a newcomer is surveyed; the customer, still within the interaction window, is
    // within the quiet period too and gets no second mail.
    await advanceClock(local.runtime(), 24 * 60);
    await customerWithTicket('Nina Newcomer', NEWCOMER);
    await surveyFor(NEWCOMER);
    expect(await surveysTo(CUSTOMER)).toHaveLength(1);
  });
});
