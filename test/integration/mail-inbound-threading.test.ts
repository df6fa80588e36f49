import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/mail/receive-inbound-mail.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import type { Comment, Ticket } from '../../shared/domain/tickets/ticket.ts';
import { replyAddressFor } from '../../shared/mail/addresses.ts';
import { createMessageId } from '../../shared/mail/message-ids.ts';
import { findUserByEmail } from '../../shared/store/directory/users.ts';
import { recordThreadedMessage } from '../../shared/store/tickets/mail-threads.ts';
import { getTicket, listComments } from '../../shared/store/tickets/tickets.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { composeMail, inboundRecord, receive } from '../fixtures/mail/inbound-harness.ts';
import { lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';

useTestTables();

let agent: User;
const secret = () => process.env.MAIL_SECRET ?? '';

const comments = async (ticketId: number): Promise<Comment[]> =>
  (await listComments(ticketId, { mode: 'cursor', size: 100, descending: false })).items;

/** A ticket opened by mail from `from`, returned with its id. */
const openByMail = async (
  from = 'Ann Customer <ann@customer.test>',
  extra: Parameters<typeof composeMail>[0] = {},
) => {
  const outcome = await receive(composeMail({ from, ...extra }));
  if (outcome.kind !== 'ticket_created') throw new Error(`expected a ticket, got ${JSON.stringify(outcome)}`);
  return (await getTicket(outcome.ticketId)) as Ticket;
};

beforeAll(async () => {
  agent = await createUser(
    { name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' },
    '2026-11-25T08:00:00Z',
  );
});

describe('inbound mail threading', () => {
  it('opens a ticket requested by the sender, named after the display name, with the mail as its comment', async () => {
    const ticket = await openByMail('"Bea Buyer" <Bea@Customer.test>', { subject: 'Broken widget' });
    const requester = await findUserByEmail('bea@customer.test');
    expect(requester?.name).toBe('Bea Buyer');
    // Authenticated mail proves the address: rule mail may echo the ticket back to it.
    expect(requester?.verified).toBe(true);
    expect(ticket).toMatchObject({ requester_id: requester?.id, subject: 'Broken widget', status: 'new' });
    expect(ticket.via).toMatchObject({
      channel: 'email',
      source: { from: { address: 'bea@customer.test' } },
    });
    const [comment] = await comments(ticket.id);
    expect(comment).toMatchObject({ public: true, body: 'It is on fire. Please help.' });
    expect(comment?.mail).toMatchObject({ unverified_sender: false, truncated: false });
  });

  it('threads a reply naming our own Message-ID (valid MAC) and ignores one with a forged MAC', async () => {
    const ticket = await openByMail();
    const ours = createMessageId({ ticketId: ticket.id, secret: secret(), domain: 'relaydesk.test' });
    const reply = await receive(
      composeMail({ inReplyTo: ours, references: `<x@y> ${ours}`, body: 'Thanks!' }),
    );
    expect(reply).toMatchObject({ kind: 'comment_added', ticketId: ticket.id, public: true });

    const forged = createMessageId({
      ticketId: ticket.id,
      secret: 'not-our-secret',
      domain: 'relaydesk.test',
    });
    const other = await receive(composeMail({ inReplyTo: forged, body: 'Forged' }));
    expect(other.kind).toBe('ticket_created');
  });

  it('threads on a recorded id anywhere in References (e.g. the id SES gave our mail)', async () => {
    const ticket = await openByMail();
    const sesId = `<${randomUUID()}@us-east-1.amazonses.com>`;
    await recordThreadedMessage({
      messageId: sesId,
      ticketId: ticket.id,
      recipients: ['ann@customer.test'],
      direction: 'outbound',
    });
    const reply = await receive(composeMail({ references: `<a@b> ${sesId} <c@d>`, body: 'More info' }));
    expect(reply).toMatchObject({ kind: 'comment_added', ticketId: ticket.id });
  });

  it('threads by the reply address token, and never by "[#123]" in the subject alone', async () => {
    const ticket = await openByMail();
    const address = replyAddressFor(ticket.reply_token ?? '');
    const byToken = await receive(composeMail({ to: address, body: 'Via reply address' }), {
      recipients: [address],
    });
    expect(byToken).toMatchObject({ kind: 'comment_added', ticketId: ticket.id });

    const bySubject = await receive(composeMail({ subject: `Re: [#${ticket.id}] Printer on fire` }));
    expect(bySubject.kind).toBe('ticket_created');
  });

  it('opens a follow-up for a reply to a closed ticket and leaves the closed one untouched', async () => {
    const ticket = await openByMail();
    const change = (status: 'solved' | 'closed') =>
      updateTicket({
        caller: { userId: agent.id, role: 'agent', email: agent.email ?? '' },
        ticketId: ticket.id,
        via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
        now: () => new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        fields: { status, assignee_id: agent.id },
      });
    await change('solved');
    const closed = await change('closed');
    const ours = createMessageId({ ticketId: ticket.id, secret: secret(), domain: 'relaydesk.test' });
    const outcome = await receive(composeMail({ inReplyTo: ours, body: 'It broke again' }));
    expect(outcome).toMatchObject({ kind: 'ticket_created', followupSourceId: ticket.id });
    if (outcome.kind !== 'ticket_created') return;
    expect((await getTicket(outcome.ticketId))?.followup_source_id).toBe(ticket.id);
    expect((await getTicket(ticket.id))?.version).toBe(closed.ticket.version);
  });

  it('keeps a reply from someone not on the ticket as an internal note from an unverified sender', async () => {
    const ticket = await openByMail();
    const ours = createMessageId({ ticketId: ticket.id, secret: secret(), domain: 'relaydesk.test' });
    const outcome = await receive(
      composeMail({
        from: 'Mallory <mallory@evil.test>',
        inReplyTo: ours,
        cc: 'eve@evil.test',
        body: 'Refund me',
      }),
    );
    expect(outcome).toMatchObject({ kind: 'comment_added', ticketId: ticket.id, public: false });
    const after = (await getTicket(ticket.id)) as Ticket;
    expect(after.collaborator_ids).toEqual(ticket.collaborator_ids);
    expect(after.requester_id).toBe(ticket.requester_id);
    expect((await comments(ticket.id)).at(-1)?.mail?.unverified_sender).toBe(true);
  });

  it('keeps a reply whose From fails DMARC as an internal note, even from the requester', async () => {
    const ticket = await openByMail();
    const ours = createMessageId({ ticketId: ticket.id, secret: secret(), domain: 'relaydesk.test' });
    const outcome = await receive(composeMail({ inReplyTo: ours, body: 'Spoofed' }), { dmarc: 'FAIL' });
    expect(outcome).toMatchObject({ kind: 'comment_added', public: false });
    const processingFailed = await receive(composeMail({ inReplyTo: ours, body: 'Unknown' }), {
      dmarc: 'PROCESSING_FAILED',
    });
    expect(processingFailed).toMatchObject({ kind: 'comment_added', public: false });
    expect((await getTicket(ticket.id))?.status).toBe('new');
  });

  it('adds CCs as collaborators only when the mail is authenticated', async () => {
    const authenticated = await openByMail(undefined, {
      cc: 'Carl <carl@customer.test>, support@relaydesk.test',
    });
    const carl = await findUserByEmail('carl@customer.test');
    expect(authenticated.collaborator_ids).toEqual([carl?.id]);
    const outcome = await receive(composeMail({ cc: 'dora@customer.test' }), { dmarc: 'FAIL' });
    if (outcome.kind !== 'ticket_created') throw new Error('expected a ticket');
    expect((await getTicket(outcome.ticketId))?.collaborator_ids).toEqual([]);
  });

  it('leaves a requester whose mail failed authentication unverified', async () => {
    const outcome = await receive(composeMail({ from: 'Spoofed <spoofed@customer.test>' }), {
      dmarc: 'FAIL',
    });
    expect(outcome.kind).toBe('ticket_created');
    expect((await findUserByEmail('spoofed@customer.test'))?.verified).toBe(false);
  });

  it('creates nothing new when SES redelivers the same message', async () => {
    const raw = composeMail({ subject: 'Redelivered' });
    const sesMessageId = randomUUID();
    const first = await receive(raw, { sesMessageId });
    expect(first.kind).toBe('ticket_created');
    expect(await receive(raw, { sesMessageId })).toEqual({ kind: 'duplicate' });
  });

  it('creates nothing new for the same mail through two support addresses, but a different mail with the same Message-ID is not suppressed', async () => {
    const messageId = `<${randomUUID()}@customer.test>`;
    const raw = composeMail({ messageId, to: 'support@relaydesk.test, sales@relaydesk.test' });
    expect((await receive(raw, { recipients: ['support@relaydesk.test'] })).kind).toBe('ticket_created');
    expect(await receive(raw, { recipients: ['sales@relaydesk.test'] })).toEqual({ kind: 'duplicate' });
    const different = composeMail({ messageId, body: 'A different mail reusing the id' });
    expect((await receive(different)).kind).toBe('ticket_created');
  });

  it('never moves a recorded Message-ID to the ticket of a later mail reusing it', async () => {
    const messageId = `<${randomUUID()}@customer.test>`;
    const first = await openByMail(undefined, { messageId });
    const reuser = await receive(
      composeMail({ from: 'Mallory <mallory@evil.test>', messageId, body: 'Mine now' }),
    );
    expect(reuser.kind).toBe('ticket_created');
    const reply = await receive(composeMail({ inReplyTo: messageId, body: 'About my first mail' }));
    expect(reply).toMatchObject({ kind: 'comment_added', ticketId: first.id });
  });

  it('records the inbound Message-ID so a reply quoting it threads', async () => {
    const messageId = `<${randomUUID()}@customer.test>`;
    const ticket = await openByMail(undefined, { messageId });
    const reply = await receive(composeMail({ inReplyTo: messageId, body: 'Following up on my own mail' }));
    expect(reply).toMatchObject({ kind: 'comment_added', ticketId: ticket.id, public: true });
  });

  it('suspends spam and viruses instead of posting them', async () => {
    expect(await receive(composeMail({}), { spam: 'FAIL' })).toMatchObject({
      kind: 'suspended',
      cause: 'spam',
    });
    expect(await receive(composeMail({}), { virus: 'FAIL' })).toMatchObject({
      kind: 'suspended',
      cause: 'virus',
    });
  });

  it('rate limits new tickets per sender per hour', async () => {
    process.env.MAIL_NEW_TICKETS_PER_SENDER_PER_HOUR = '3';
    try {
      const outcomes = [];
      for (let index = 0; index < 4; index++) {
        outcomes.push(
          (await receive(composeMail({ from: 'loop@partner.test', subject: `Ack ${index}` }))).kind,
        );
      }
      expect(outcomes).toEqual(['ticket_created', 'ticket_created', 'ticket_created', 'suspended']);
    } finally {
      delete process.env.MAIL_NEW_TICKETS_PER_SENDER_PER_HOUR;
    }
  });

  it('handles a batch through the function: bad records are consumed, none fail the batch', async () => {
    const good = await inboundRecord(composeMail({ subject: 'Via handler' }));
    const garbage = { ...good, messageId: 'garbage', body: '{"not":"sns"}' };
    const result = await asFunction('receive-inbound-mail', () =>
      handler({ Records: [good, garbage] }, lambdaContext()),
    );
    expect(result.batchItemFailures).toEqual([]);
  });
});
