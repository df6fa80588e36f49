import { beforeAll, describe, expect, it } from 'vitest';
import { handler as attachments } from '../../functions/api/attachments.ts';
import { handler } from '../../functions/api/suspended-tickets.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { MAX_RAW_BYTES } from '../../shared/mail/inbound/mail-limits.ts';
import { getAttachmentRecord } from '../../shared/store/mail/attachment-records.ts';
import { getSuspendedMail } from '../../shared/store/mail/suspended-mail.ts';
import { getTicket, listComments } from '../../shared/store/tickets/tickets.ts';
import { MAX_INLINE_PARSED_MAIL_BYTES } from '../../shared/use-cases/mail/suspended-mail-content.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { composeMail, receive } from '../fixtures/mail/inbound-harness.ts';
import { apiEvent, callApi, lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { validateAgainst } from '../support/openapi.ts';

useTestTables();

let agent: User;
let customer: User;
const asAgent = () => ({ userId: agent.id, role: agent.role });

const suspend = async (raw = composeMail({ from: 'Sam Spam <sam@spam.test>', subject: 'Cheap pills' })) => {
  const outcome = await receive(raw, { spam: 'FAIL' });
  if (outcome.kind !== 'suspended') throw new Error(`expected a suspension, got ${JSON.stringify(outcome)}`);
  return outcome.suspendedId;
};

const recover = (id: number) =>
  callApi(handler, {
    method: 'PUT',
    path: `/api/v2/suspended_tickets/${id}/recover.json`,
    caller: asAgent(),
  });

const commentsOf = async (ticketId: number) =>
  (await listComments(ticketId, { mode: 'cursor', size: 100, descending: false })).items;

/** A reply to `ticketId`'s reply address carrying one attachment. */
const replyWithAttachment = (replyAddress: string) =>
  [
    'From: Cy <cy@customer.test>',
    `To: ${replyAddress}`,
    'Subject: Re: the log',
    `Message-ID: <${Date.now()}.log@customer.test>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Here is the log you asked for.',
    '--b',
    'Content-Type: text/plain; name="crash.log"',
    'Content-Disposition: attachment; filename="crash.log"',
    '',
    'segfault at 0x0',
    '--b--',
    '',
  ].join('\r\n');

beforeAll(async () => {
  agent = await createUser(
    { name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' },
    '2026-11-25T08:00:00Z',
  );
  customer = await createUser(
    { name: 'Cy', email: 'cy@customer.test', role: 'end-user' },
    '2026-11-25T08:00:00Z',
  );
});

describe('suspended tickets API', () => {
  it('lists and shows suspended mail shaped as Zendesk SuspendedTicketObject', async () => {
    const id = await suspend();
    const list = await callApi(handler, {
      method: 'GET',
      path: '/api/v2/suspended_tickets.json',
      caller: asAgent(),
    });
    expect(list.status).toBe(200);
    const listed = list.body.suspended_tickets.find((entry: { id: number }) => entry.id === id);
    expect(listed).toMatchObject({
      subject: 'Cheap pills',
      cause: 'Detected as spam',
      cause_id: 0,
      author: { email: 'sam@spam.test', name: 'Sam Spam' },
    });
    expect(validateAgainst('SuspendedTicketObject', listed)).toEqual([]);
    const shown = await callApi(handler, {
      method: 'GET',
      path: `/api/v2/suspended_tickets/${id}.json`,
      caller: asAgent(),
    });
    expect(shown.body.suspended_ticket.id).toBe(id);
  });

  it('pages with cursors', async () => {
    await suspend();
    await suspend();
    const page = await callApi(handler, {
      method: 'GET',
      path: '/api/v2/suspended_tickets.json',
      query: { 'page[size]': 1 },
      caller: asAgent(),
    });
    expect(page.body.suspended_tickets).toHaveLength(1);
    expect(page.body.meta.has_more).toBe(true);
  });

  it('recovers a suspended mail into a ticket and removes the record; a second recover is 404', async () => {
    const id = await suspend();
    const recovered = await recover(id);
    expect(recovered.status).toBe(200);
    expect(recovered.body.ticket).toMatchObject({ subject: 'Cheap pills' });
    expect(await getSuspendedMail(id)).toBeUndefined();
    expect((await recover(id)).status).toBe(404);
  });

  it('recovers a suspended reply onto its ticket with the attachments stored when it arrived', async () => {
    const opened = await receive(composeMail({ from: 'Cy <cy@customer.test>', subject: 'It crashes' }));
    if (opened.kind !== 'ticket_created') throw new Error('expected a ticket');
    const ticket = await getTicket(opened.ticketId);
    const replyAddress = `support+${ticket?.reply_token}@relaydesk.test`;
    const outcome = await receive(replyWithAttachment(replyAddress), {
      spam: 'FAIL',
      recipients: [replyAddress],
    });
    if (outcome.kind !== 'suspended') throw new Error('expected a suspension');
    expect((await getSuspendedMail(outcome.suspendedId))?.parsed_mail_json).toBeDefined();

    const recovered = await recover(outcome.suspendedId);
    expect(recovered.status).toBe(200);
    expect(recovered.body.ticket.id).toBe(opened.ticketId);
    const reply = (await commentsOf(opened.ticketId)).at(-1);
    expect(reply).toMatchObject({ public: true, body: 'Here is the log you asked for.' });
    expect(reply?.attachments.map(({ file_name }) => file_name)).toEqual(['crash.log']);
    const record = await getAttachmentRecord(reply?.attachments[0]?.id ?? 0);
    expect(record).toMatchObject({ ticket_id: opened.ticketId, comment_id: reply?.id, comment_public: true });
    const download = await attachments(
      apiEvent({
        method: 'GET',
        path: `/api/v2/attachments/${record?.attachment.id}/content`,
        caller: asAgent(),
      }),
      lambdaContext(),
    );
    expect(Buffer.from(download.body ?? '', 'base64').toString()).toBe('segfault at 0x0');
  });

  it('keeps a large parsed mail in the blob store and recovers it whole', async () => {
    // Text and HTML each under the comment limit; the parsed form (text, HTML twice) over the inline one.
    const text = 'All the details. '.repeat(MAX_INLINE_PARSED_MAIL_BYTES / 40).trim();
    const raw = [
      'From: Sam <sam@spam.test>',
      'To: support@relaydesk.test',
      'Subject: Long story',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="alt"',
      '',
      '--alt',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '--alt',
      'Content-Type: text/html; charset=utf-8',
      '',
      `<p>${text}</p>`,
      '--alt--',
      '',
    ].join('\r\n');
    const id = await suspend(raw);
    const stored = await getSuspendedMail(id);
    expect(stored).toMatchObject({ parsed_mail_key: `suspended/${id}.json` });
    expect(stored?.parsed_mail_json).toBeUndefined();

    const recovered = await recover(id);
    expect(recovered.status).toBe(200);
    expect(recovered.body.ticket).toMatchObject({ subject: 'Long story' });
    expect((await commentsOf(recovered.body.ticket.id))[0]).toMatchObject({
      body: text,
      html_body: `<p>${text}</p>`,
    });
    expect(await getSuspendedMail(id)).toBeUndefined();
  });

  it('refuses to recover mail suspended before it could be read (422), and keeps it for review', async () => {
    const outcome = await receive(Buffer.alloc(MAX_RAW_BYTES + 1, 'a'));
    if (outcome.kind !== 'suspended') throw new Error('expected a suspension');
    expect(outcome.cause).toBe('too_large');

    const recovered = await recover(outcome.suspendedId);
    expect(recovered.status).toBe(422);
    expect(recovered.body).toMatchObject({ error: 'RecordInvalid' });
    expect(JSON.stringify(recovered.body)).toContain('Mail is too large to process');
    expect(JSON.stringify(recovered.body)).toContain('never read');
    const shown = await callApi(handler, {
      method: 'GET',
      path: `/api/v2/suspended_tickets/${outcome.suspendedId}.json`,
      caller: asAgent(),
    });
    expect(shown.body.suspended_ticket).toMatchObject({ cause: 'Mail is too large to process', cause_id: 7 });
  }, 60_000);

  it('refuses to recover mail that still has no single sender, and keeps it', async () => {
    const outcome = await receive('To: support@relaydesk.test\r\nSubject: nobody\r\n\r\nhello\r\n');
    if (outcome.kind !== 'suspended') throw new Error('expected a suspension');
    const recovered = await recover(outcome.suspendedId);
    expect(recovered.status).toBe(422);
    expect(await getSuspendedMail(outcome.suspendedId)).toBeDefined();
  });

  it('deletes suspended mail (204, then 404)', async () => {
    const id = await suspend();
    expect(
      (
        await callApi(handler, {
          method: 'DELETE',
          path: `/api/v2/suspended_tickets/${id}.json`,
          caller: asAgent(),
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await callApi(handler, {
          method: 'DELETE',
          path: `/api/v2/suspended_tickets/${id}.json`,
          caller: asAgent(),
        })
      ).status,
    ).toBe(404);
  });

  it('is for staff only', async () => {
    const response = await callApi(handler, {
      method: 'GET',
      path: '/api/v2/suspended_tickets.json',
      caller: { userId: customer.id, role: 'end-user' },
    });
    expect(response.status).toBe(403);
  });
});
