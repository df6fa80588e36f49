/**
 * End to end, CSAT on the local runtime booted as `npm start` boots it, driven by node-zendesk: a
 * ticket solved through the API gets its survey timer in the local Scheduler API; once the local clock
 * moves 24 hours the timer fires onto the survey queue and the survey mail is in the local SES store.
 * Its Good link (GET) only shows the form; the form's POST records the rating, which then shows on
 * the ticket through node-zendesk.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceClock, eventually, sentMail, useLocalRuntime } from '../support/e2e-runtime.ts';
import type { Loose } from '../support/zendesk-client.ts';

const ADMIN_EMAIL = 'admin@relaydesk-csat-e2e.test';
const ADMIN_TOKEN = 'csat-e2e-admin-token-0123456789';
const CUSTOMER = 'rated-customer@example.test';
const SUBJECT = 'Cannot export invoices';

const local = useLocalRuntime({ email: ADMIN_EMAIL, token: ADMIN_TOKEN });

/** The timers the local Scheduler API keeps (its state file in the data folder), by name. */
const scheduledTimers = async (): Promise<string[]> => {
  const state = await readFile(join(local.runtime().dataDir, 'scheduler-api.json'), 'utf8').catch(() => '');
  return state ? (JSON.parse(state) as { schedules: { name: string }[] }).schedules.map((s) => s.name) : [];
};

const ratingOf = async (ticketId: number): Promise<Loose> =>
  (await local.client().tickets.show(ticketId)).result.satisfaction_rating;

describe('CSAT, locally', () => {
  it('mails the survey 24 h after a solve; the Good link shows a form, and its POST rates the ticket', async () => {
    const client = local.client();
    const { result: me } = await client.users.me();
    const { result: customer } = await client.users.create({
      user: { name: 'Robin Rated', email: CUSTOMER, verified: true },
    });
    const { result: ticket } = await client.tickets.create({
      ticket: {
        subject: SUBJECT,
        requester_id: customer.id,
        comment: { body: 'The export button does nothing', author_id: customer.id },
      },
    });
    await client.tickets.update(ticket.id, {
      ticket: { status: 'solved', assignee_id: me.id, comment: { body: 'Fixed: clear your cache.' } },
    });

    // The schedule-csat-surveys consumer has put the solve's timer (csat-<ticket>-<solve audit>).
    const timer = await eventually(local.runtime(), 'the CSAT survey timer', async () =>
      (await scheduledTimers()).find((name) => name.startsWith(`csat-${ticket.id}-`)),
    );
    expect(timer).toMatch(new RegExp(`^csat-${ticket.id}-\\d+$`));
    const surveys = async () =>
      (await sentMail(local.runtime())).filter(
        (mail) =>
          mail.destination.to.some((to) => to.includes(CUSTOMER)) &&
          mail.subject.startsWith('How did we do?'),
      );
    expect(await surveys()).toEqual([]);

    await advanceClock(local.runtime(), 24 * 60);
    const survey = await eventually(local.runtime(), 'the survey mail', async () => (await surveys())[0]);
    expect(survey.subject).toBe(`How did we do? Re: ${SUBJECT}`);
    const text = survey.body.text ?? '';
    expect(text).toContain('How would you rate the support you received?');
    const goodLink = new RegExp(
      `(${local.runtime().baseUrl}/surveys/csat/[A-Za-z0-9_.%-]+\\?score=good)`,
    ).exec(text)?.[1];
    expect(goodLink, text).toBeDefined();
    // The ticket is marked offered just after the mail is handed to SES.
    await eventually(local.runtime(), 'the offered rating', async () =>
      (await ratingOf(ticket.id)).score === 'offered' ? true : undefined,
    );

    // A mail scanner's prefetch: the page shows the choice and records nothing.
    const page = await fetch(goodLink as string);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<form method="post"');
    expect(html).toMatch(/value="good" checked/);
    expect((await ratingOf(ticket.id)).score).toBe('offered');

    // The requester sends the form (it posts back to the same address).
    const posted = await fetch(goodLink as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ score: 'good', comment: 'Quick and friendly' }).toString(),
      redirect: 'manual',
    });
    expect(posted.status).toBe(200);

    expect(await ratingOf(ticket.id)).toMatchObject({ score: 'good', comment: 'Quick and friendly' });
    const ratings: Loose[] = await client.satisfactionratings.list();
    expect(ratings).toContainEqual(
      expect.objectContaining({ ticket_id: ticket.id, score: 'good', comment: 'Quick and friendly' }),
    );
    // One survey per solve: the fired timer is gone, and no second mail went out.
    expect((await scheduledTimers()).filter((name) => name.startsWith(`csat-${ticket.id}-`))).toEqual([]);
    expect(await surveys()).toHaveLength(1);
  });
});
