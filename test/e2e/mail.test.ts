/**
 * End to end, the email channel on the local runtime booted as `npm start` boots it: a real mail over
 * SMTP opens a ticket for a new requester, who gets the default trigger's acknowledgement; an agent's
 * public reply goes out (through the default comment trigger) via the local SES with the ticket's
 * reply address as Reply-To (an internal note never does); the customer's reply to that address lands
 * on the same ticket.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RuntimeProcess, removeDataDir, startRuntimeProcess } from '../support/runtime-process.ts';
import type { Loose } from '../support/zendesk-client.ts';

const ADMIN_EMAIL = 'admin@relaydesk-mail-e2e.test';
const ADMIN_TOKEN = 'mail-e2e-admin-token-0123456789';
const SUPPORT = 'support@relaydesk.local';
const CUSTOMER = 'customer@example.test';
const SUBJECT = 'Printer on fire (mail e2e)';
const PUBLIC_REPLY = 'Have you tried turning it off and on again?';
const INTERNAL_NOTE = 'Internal: the fuser is a known fire hazard';

/** The parts of aws-ses-v2-local's GET /store this test reads. */
interface StoredMail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

let runtime: RuntimeProcess;
let ticketId: number;
let replyTo: string;

const api = async (method: string, path: string, body?: unknown): Promise<Loose> => {
  const response = await fetch(`${runtime.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${ADMIN_EMAIL}/token:${ADMIN_TOKEN}`).toString('base64')}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
};

/** Polls until `probe` returns a value (bounded: the fabric delivers within a second or two). */
const eventually = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Gave up waiting for ${what}\n--- runtime output ---\n${runtime.output()}`);
};

const smtp = () =>
  nodemailer.createTransport({ host: '127.0.0.1', port: runtime.ports.smtp, secure: false, ignoreTLS: true });

const ticketsWithSubject = async (): Promise<Loose[]> =>
  (await api('GET', '/api/v2/tickets.json?page%5Bsize%5D=100')).tickets.filter((t: Loose) =>
    String(t.subject).includes(SUBJECT),
  );

const comments = async (): Promise<Loose[]> =>
  (await api('GET', `/api/v2/tickets/${ticketId}/comments.json`)).comments;

const sentMail = async (): Promise<StoredMail[]> => {
  const response = await fetch(`http://127.0.0.1:${runtime.ports.ses}/store`);
  return ((await response.json()) as { emails: StoredMail[] }).emails;
};

beforeAll(async () => {
  runtime = await startRuntimeProcess({ adminEmail: ADMIN_EMAIL, adminToken: ADMIN_TOKEN });
});

afterAll(async () => {
  if (!runtime) return;
  const report = await runtime.stop();
  await removeDataDir(runtime.dataDir);
  if (!report.exitedOnSigint || report.survivingJava.length > 0 || report.dynamoDbPortOpen) {
    throw new Error(`The runtime did not stop cleanly: ${JSON.stringify(report)}\n${runtime.output()}`);
  }
});

describe('the email channel, locally', () => {
  it('prints where to send mail', () => {
    expect(runtime.output()).toContain(`SMTP         127.0.0.1:${runtime.ports.smtp} (mail to ${SUPPORT})`);
  });

  it('turns a mail to the support address into a ticket whose requester is the sender', async () => {
    await smtp().sendMail({
      from: `Casey Customer <${CUSTOMER}>`,
      to: SUPPORT,
      subject: SUBJECT,
      text: 'The printer on floor 3 is on fire. Please help.',
      messageId: '<first-mail@example.test>',
    });
    const [ticket] = await eventually('the ticket', async () => {
      const found = await ticketsWithSubject();
      return found.length > 0 ? found : undefined;
    });
    ticketId = ticket.id;
    expect(ticket.subject).toBe(SUBJECT);
    const { user } = await api('GET', `/api/v2/users/${ticket.requester_id}.json`);
    expect(user.email).toBe(CUSTOMER);
    expect(user.name).toBe('Casey Customer');
    expect(user.role).toBe('end-user');
    const [first] = await comments();
    expect(first.body).toContain('The printer on floor 3 is on fire.');
    expect(first.author_id).toBe(ticket.requester_id);

    // Authenticated mail verified its sender, so the default trigger's acknowledgement may name the
    // request (an unverified address gets none of it echoed: test/integration/notification-mail).
    expect(user.verified).toBe(true);
    const ack = await eventually('the acknowledgement', async () =>
      (await sentMail()).find((m) => m.destination.to.some((to) => to.includes(CUSTOMER))),
    );
    expect(ack.subject).toBe(`Request received: ${SUBJECT}`);
    expect(ack.body.text).toContain(`Your request (#${ticketId}) has been received`);
  });

  it('mails an agent’s public reply to the requester with the ticket’s reply address, never an internal note', async () => {
    await api('PUT', `/api/v2/tickets/${ticketId}.json`, {
      ticket: { comment: { body: INTERNAL_NOTE, public: false } },
    });
    await api('PUT', `/api/v2/tickets/${ticketId}.json`, {
      ticket: { comment: { body: PUBLIC_REPLY, public: true } },
    });
    const mail = await eventually('the outbound mail', async () =>
      (await sentMail()).find(
        (m) => m.destination.to.some((to) => to.includes(CUSTOMER)) && m.subject.startsWith('[Ticket #'),
      ),
    );
    expect(`${mail.body.text ?? ''}${mail.body.html ?? ''}`).toContain(PUBLIC_REPLY);
    expect(mail.replyTo).toHaveLength(1);
    const address = /support\+[A-Za-z0-9_-]{22,}@relaydesk\.local/i.exec(mail.replyTo[0] ?? '')?.[0];
    expect(address, `Reply-To ${mail.replyTo[0]}`).toBeDefined();
    replyTo = address as string;
    // The reply token is random, never the ticket number.
    expect(replyTo).not.toContain(`+${ticketId}@`);

    const everything = JSON.stringify(await sentMail());
    expect(everything).not.toContain(INTERNAL_NOTE);
  });

  it('puts the customer’s reply to that address on the same ticket, not a new one', async () => {
    await smtp().sendMail({
      from: `Casey Customer <${CUSTOMER}>`,
      to: replyTo,
      subject: `Re: ${SUBJECT}`,
      // An id we never issued: the reply address alone must thread it.
      inReplyTo: '<not-one-of-ours@mail.example.test>',
      references: '<not-one-of-ours@mail.example.test>',
      text: `Turned it off and on. Still on fire.\n\nOn Mon, 2 Mar 2026 at 10:00, Support <${SUPPORT}> wrote:\n> ${PUBLIC_REPLY}\n`,
    });
    const reply = await eventually('the reply comment', async () =>
      (await comments()).find((comment) => String(comment.body).includes('Still on fire')),
    );
    expect(reply.public).toBe(true);
    // Only the new text: the quoted history stays in the raw mail, not in the comment.
    expect(reply.body).not.toContain(PUBLIC_REPLY);
    expect(await ticketsWithSubject()).toHaveLength(1);
    const bodies = (await comments()).map((comment) => String(comment.body));
    expect(bodies.filter((body) => body.includes('Still on fire'))).toHaveLength(1);

    const internal = (await comments()).find((comment) => comment.body === INTERNAL_NOTE);
    expect(internal?.public).toBe(false);
    expect(JSON.stringify(await sentMail())).not.toContain(INTERNAL_NOTE);
  });

  it('delivered everything on the first try: no consumer failed or dead-lettered a message', () => {
    expect(runtime.output()).not.toMatch(/\[event fabric\]|\[smtp\]/);
  });
});
