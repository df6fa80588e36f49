import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { type ParsedMail, simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSendNotificationMailHandler } from '../../functions/events/send-notification-mail.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { apiVia, type Ticket } from '../../shared/domain/tickets/ticket.ts';
import { replyAddressFor } from '../../shared/mail/addresses.ts';
import type { MailSender, OutgoingMail } from '../../shared/mail/mail-sender.ts';
import { sesMessageIdHeader } from '../../shared/mail/mail-sender.ts';
import { ticketIdFromOwnMessageId } from '../../shared/mail/message-ids.ts';
import { findThreadedMessages } from '../../shared/store/tickets/mail-threads.ts';
import { mayAutoMail } from '../../shared/use-cases/mail/auto-mail.ts';
import { markAddressUndeliverable } from '../../shared/use-cases/mail/mail-suppression.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';
import { notificationRecords, runTriggers, seedTriggersForTest } from '../support/rule-notifications.ts';

useTestTables();
const SECRET = 'outbound-test-secret';
process.env.MAIL_SECRET = SECRET;
process.env.SUPPORT_ADDRESS = 'support@relaydesk.test';
process.env.PUBLIC_URL = 'https://desk.relaydesk.test';

class RecordingSender implements MailSender {
  readonly sent: (OutgoingMail & { providerMessageId: string })[] = [];
  async send(mail: OutgoingMail): Promise<{ providerMessageId: string }> {
    const providerMessageId = `0100${randomUUID()}-000000`;
    this.sent.push({ ...mail, providerMessageId });
    return { providerMessageId };
  }
  parsed(index: number): Promise<ParsedMail> {
    const mail = this.sent[index];
    if (!mail) throw new Error(`no mail #${index}; ${this.sent.length} sent`);
    return simpleParser(mail.raw);
  }
}

let agent: User;
let requester: User;
let cc: User;
const caller = () => ({ userId: agent.id, role: agent.role, email: agent.email ?? '' });
const run = (sender: MailSender, ...records: SQSRecord[]) =>
  asFunction('send-notification-mail', () =>
    createSendNotificationMailHandler({ sender })({ Records: records }, lambdaContext()),
  );

/** The default comment trigger's notification for a comment's update, as its consumer receives it. */
const commentNotification = async (update: Update, id?: string): Promise<SQSRecord> => {
  const audit = await runTriggers(update.ticketId, update.auditId);
  const [record] = audit ? notificationRecords(audit, id ? { id } : {}) : [];
  if (!record) throw new Error('no notification for the comment');
  return record;
};

const newTicket = async (subject = 'Printer on fire'): Promise<Ticket> =>
  (
    await createTicket({
      caller: caller(),
      via: apiVia(),
      now: new Date().toISOString(),
      fields: { subject },
      requester: requester.id,
      collaborators: [cc.id],
      comment: { body: 'Opened for the customer', public: false },
    })
  ).ticket;

interface Update {
  ticketId: number;
  auditId: number;
  commentId: number;
}

/** Adds a comment; returns the update (its audit) and the comment's id. */
const comment = async (
  ticketId: number,
  body: string,
  options: { public?: boolean; authorId?: number } = {},
): Promise<Update> => {
  const result = await updateTicket({
    caller: caller(),
    ticketId,
    via: apiVia(),
    now: () => new Date().toISOString(),
    fields: {},
    comment: { body, public: options.public ?? true, author_id: options.authorId },
  });
  const event = result.audit?.events.find((candidate) => candidate.type === 'Comment');
  if (!result.audit || !event || !('id' in event)) throw new Error('no comment written');
  return { ticketId, auditId: result.audit.id, commentId: event.id };
};

/** A comment mailed through the default trigger, as the runtime does it. */
const mailComment = async (
  sender: MailSender,
  ticketId: number,
  body: string,
  options: { authorId?: number } = {},
) => run(sender, await commentNotification(await comment(ticketId, body, options)));

beforeAll(async () => {
  const now = new Date().toISOString();
  agent = await createUser({ name: 'Aki Agent', email: 'aki@relaydesk-staff.test', role: 'agent' }, now);
  // Verified, so the trigger's subject may name the ticket (see the unverified case in notification-mail).
  requester = await createUser({ name: 'Cy Customer', email: 'cy@customer.test', verified: true }, now);
  cc = await createUser({ name: 'Dee Colleague', email: 'dee@customer.test' }, now);
  await seedTriggersForTest(agent.id, now);
});

describe('mailing an agent reply', () => {
  it('sends one mail to the requester and CCs with our headers, and records both Message-IDs', async () => {
    const sender = new RecordingSender();
    const ticket = await newTicket();
    expect(await mailComment(sender, ticket.id, 'We are on it.')).toEqual({ batchItemFailures: [] });

    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]?.to).toEqual(['cy@customer.test', 'dee@customer.test']);
    expect(sender.sent[0]?.from).toBe('support@relaydesk.test');
    const mail = await sender.parsed(0);
    expect(mail.from?.value).toEqual([
      { address: 'support@relaydesk.test', name: 'Aki Agent (Relaydesk Support)' },
    ]);
    expect(mail.replyTo?.value[0]?.address).toBe(replyAddressFor(ticket.reply_token ?? ''));
    expect(ticket.reply_token).toMatch(/^[0-9a-f]{32}$/);
    // The default trigger's subject.
    expect(mail.subject).toBe(`[Ticket #${ticket.id}] Printer on fire`);
    expect(mail.messageId).toBeDefined();
    expect(ticketIdFromOwnMessageId(mail.messageId ?? '', SECRET)).toBe(ticket.id);
    expect(ticketIdFromOwnMessageId(mail.messageId ?? '', 'another-secret')).toBeUndefined();
    // A human reply is not automatic mail.
    expect(mail.headers.has('auto-submitted')).toBe(false);
    expect(mail.headers.has('x-auto-response-suppress')).toBe(false);
    expect(mail.headers.has('list-unsubscribe')).toBe(false);
    expect(mail.text).toContain('##- Please type your reply above this line -##');
    expect(mail.text).toContain('We are on it.');
    expect(mail.text).toContain(`https://desk.relaydesk.test/hc/requests/${ticket.id}`);
    // The internal note that opened the ticket is not quoted.
    expect(mail.text).not.toContain('Opened for the customer');
    expect(mail.html).toContain('<p>We are on it.</p>');

    const ses = sesMessageIdHeader(sender.sent[0]?.providerMessageId ?? '');
    const recorded = await findThreadedMessages([mail.messageId ?? '', ses]);
    expect(recorded).toHaveLength(2);
    for (const message of recorded) {
      expect(message).toMatchObject({
        ticketId: ticket.id,
        direction: 'outbound',
        recipients: ['cy@customer.test', 'dee@customer.test'],
      });
    }
  });

  it('chains In-Reply-To and References across two replies, carrying our own id in References', async () => {
    const sender = new RecordingSender();
    const ticket = await newTicket();
    await mailComment(sender, ticket.id, 'First reply');
    await mailComment(sender, ticket.id, 'Second reply');

    const [first, second] = [await sender.parsed(0), await sender.parsed(1)];
    const firstSes = sesMessageIdHeader(sender.sent[0]?.providerMessageId ?? '');
    expect(first.inReplyTo).toBeUndefined();
    expect(first.references).toBe(first.messageId);
    expect(second.inReplyTo).toBe(firstSes);
    expect(second.references).toEqual([first.messageId, firstSes, second.messageId]);
    expect(second.text).toContain('Second reply');
    expect(second.text).toContain('First reply');
  });

  it('mails a comment once however often its event is delivered, even concurrently', async () => {
    const sender = new RecordingSender();
    const ticket = await newTicket();
    const update = await comment(ticket.id, 'Only once');
    const notification = await commentNotification(update);
    const copy = (id: string) => ({ ...notification, messageId: id, receiptHandle: id });
    const results = await Promise.allSettled([run(sender, copy('a')), run(sender, copy('b'))]);
    // A copy that found the other's claim fails (a one-record batch fails whole), to be retried after it.
    const failed = results.filter(
      (result) => result.status === 'rejected' || result.value.batchItemFailures.length > 0,
    );
    expect(failed.length).toBeLessThanOrEqual(1);
    expect(await run(sender, notification)).toEqual({ batchItemFailures: [] });
    // The trigger cycle redelivered applies nothing again, so no second notification exists to send.
    expect(await runTriggers(ticket.id, update.auditId)).toBeUndefined();
    expect(await run(sender, notification)).toEqual({ batchItemFailures: [] });
    expect(sender.sent).toHaveLength(1);
  });

  it('never mails an internal note: the comment trigger does not fire, and a forged event finds nothing', async () => {
    const sender = new RecordingSender();
    const ticket = await newTicket();
    const note = await comment(ticket.id, 'Customer is difficult', { public: false });
    expect(await runTriggers(ticket.id, note.auditId)).toBeUndefined();
    // A notification.requested naming the note's own audit and comment: no Notification event there.
    const forged = await commentNotification(await comment(ticket.id, 'Public one'));
    const body = JSON.parse(forged.body);
    body.detail = { ...body.detail, audit_id: note.auditId, event_id: note.commentId };
    expect(await run(sender, { ...forged, body: JSON.stringify(body) })).toEqual({ batchItemFailures: [] });
    expect(sender.sent).toHaveLength(0);
  });

  it('leaves out undeliverable addresses, and sends nothing when nobody is left', async () => {
    const sender = new RecordingSender();
    const colleague = await createUser(
      { name: 'Bo Bounce', email: 'bo@customer.test' },
      new Date().toISOString(),
    );
    const ticket = (
      await createTicket({
        caller: caller(),
        via: apiVia(),
        now: new Date().toISOString(),
        fields: { subject: 'Bouncy' },
        requester: colleague.id,
        comment: { body: 'x', public: false },
      })
    ).ticket;
    await markAddressUndeliverable(
      'BO@customer.test',
      'bounce: Permanent (General)',
      new Date().toISOString(),
    );
    await mailComment(sender, ticket.id, 'Anyone there?');
    expect(sender.sent).toHaveLength(0);

    const other = await newTicket();
    await markAddressUndeliverable('dee@customer.test', 'complaint', new Date().toISOString());
    await mailComment(sender, other.id, 'Hello');
    expect(sender.sent.map((mail) => mail.to)).toEqual([['cy@customer.test']]);
  });
});

describe('mailing an end-user comment', () => {
  it('goes to the other participants as automatic mail, never back to its author', async () => {
    const sender = new RecordingSender();
    const author = await createUser(
      { name: 'Eve Enduser', email: 'eve@customer.test' },
      new Date().toISOString(),
    );
    const ticket = (
      await createTicket({
        caller: caller(),
        via: apiVia(),
        now: new Date().toISOString(),
        fields: { subject: 'Shared' },
        requester: requester.id,
        collaborators: [author.id],
        comment: { body: 'x', public: false },
      })
    ).ticket;
    await mailComment(sender, ticket.id, 'Me too', { authorId: author.id });

    expect(sender.sent.map((mail) => mail.to)).toEqual([['cy@customer.test']]);
    const mail = await sender.parsed(0);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    const unsubscribe = mail.headerLines
      .find((header) => header.key === 'list-unsubscribe')
      ?.line.replace(/\r\n\s+/g, ' ');
    expect(unsubscribe).toBe(
      `List-Unsubscribe: <mailto:${replyAddressFor(ticket.reply_token ?? '')}?subject=unsubscribe>`,
    );
    expect(mail.from?.value[0]?.name).toBe('Relaydesk Support');
  });
});

describe('mail that names user content in headers and templates', () => {
  it('neutralises header injection through the subject and names, and escapes HTML', async () => {
    const sender = new RecordingSender();
    const evilAgent = await createUser(
      {
        name: 'Mallory <b>Bold</b>\r\nBcc: loot@evil.test',
        email: 'mallory@relaydesk-staff.test',
        role: 'agent',
      },
      new Date().toISOString(),
    );
    const ticket = await newTicket('Hi\r\nBcc: loot@evil.test\r\n\r\n<script>alert(1)</script>');
    await mailComment(sender, ticket.id, '<img src=x onerror=alert(1)>', { authorId: evilAgent.id });
    const mail = await sender.parsed(0);
    expect(mail.bcc).toBeUndefined();
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.subject).toBe(`[Ticket #${ticket.id}] Hi Bcc: loot@evil.test <script>alert(1)</script>`);
    expect(mail.from?.value[0]?.address).toBe('support@relaydesk.test');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('<title>Hi Bcc: loot@evil.test &lt;script&gt;');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('Mallory &lt;b&gt;Bold&lt;/b&gt;');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('the automatic-mail gate', () => {
  it('allows a capped number of automatic mails per address and hour, never to a null return path', async () => {
    process.env.AUTO_MAIL_LIMIT_PER_HOUR = '3';
    try {
      const now = '2026-12-01T10:15:00Z';
      const answers = [];
      for (let count = 0; count < 5; count++) answers.push(await mayAutoMail('Partner@Acks.test', now));
      expect(answers).toEqual([true, true, true, false, false]);
      expect(await mayAutoMail('partner@acks.test', '2026-12-01T11:00:00Z')).toBe(true);
      expect(await mayAutoMail('other@acks.test', now)).toBe(true);
      for (const nobody of [
        '',
        '<>',
        null,
        undefined,
        'support@relaydesk.test',
        'support+abc@relaydesk.test',
      ]) {
        expect(await mayAutoMail(nobody, now)).toBe(false);
      }
      await markAddressUndeliverable('gone@acks.test', 'complaint', now);
      expect(await mayAutoMail('gone@acks.test', now)).toBe(false);
    } finally {
      delete process.env.AUTO_MAIL_LIMIT_PER_HOUR;
    }
  });
});

describe('the consumer', () => {
  it('reports only the poison message of a batch as failed', async () => {
    const sender = new RecordingSender();
    const ticket = await newTicket();
    const good = await commentNotification(await comment(ticket.id, 'Fine'));
    const poison = { ...good, messageId: 'poison', body: '{"nonsense":true}' };
    expect(await run(sender, poison, good)).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
    expect(sender.sent).toHaveLength(1);
  });
});
