import { beforeAll, describe, expect, it } from 'vitest';
import { handler as requests } from '../../functions/api/requests.ts';
import { handler as tickets } from '../../functions/api/tickets.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { COMMENT_FLAGS } from '../../shared/http/serializers/ticket.ts';
import { createMessageId } from '../../shared/mail/message-ids.ts';
import { findUserByEmail } from '../../shared/store/directory/users.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { composeMail, receive } from '../fixtures/mail/inbound-harness.ts';
import { callApi } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { validateAgainst } from '../support/openapi.ts';

useTestTables();

let agent: User;

beforeAll(async () => {
  agent = await createUser(
    { name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' },
    '2026-11-25T08:00:00Z',
  );
});

const ticketComments = async (ticketId: number) =>
  (
    await callApi(tickets, {
      method: 'GET',
      path: `/api/v2/tickets/${ticketId}/comments.json`,
      caller: { userId: agent.id, role: agent.role },
    })
  ).body.comments;

describe('comments made from mail', () => {
  it('show agents their Message-ID, the original email link and the unverified-sender flag', async () => {
    const messageId = '<first@customer.test>';
    const opened = await receive(composeMail({ messageId }));
    if (opened.kind !== 'ticket_created') throw new Error('expected a ticket');
    const ours = createMessageId({
      ticketId: opened.ticketId,
      secret: process.env.MAIL_SECRET ?? '',
      domain: 'relaydesk.test',
    });
    await receive(composeMail({ from: 'Mallory <mallory@evil.test>', inReplyTo: ours, body: 'Refund me' }));

    const [first, note] = await ticketComments(opened.ticketId);
    expect(first.metadata).toEqual({
      system: {
        message_id: messageId,
        raw_email_identifier: expect.stringMatching(/^inbound\//),
        original_email_url: `https://help.relaydesk.test/api/v2/tickets/${opened.ticketId}/comments/${first.id}/original_email`,
      },
      custom: {},
    });
    expect(note).toMatchObject({
      public: false,
      metadata: {
        flags: [COMMENT_FLAGS.unverified_sender],
        flags_options: { [COMMENT_FLAGS.unverified_sender]: { trusted: false } },
      },
    });
    expect(validateAgainst('TicketCommentObject', note)).toEqual([]);
  });

  it('flag mail that limits cut as truncated', async () => {
    const opened = await receive(composeMail({ headers: [`X-Junk: ${'x'.repeat(1024 * 1024)}`] }));
    if (opened.kind !== 'ticket_created') throw new Error('expected a ticket');
    const [comment] = await ticketComments(opened.ticketId);
    expect(comment.metadata.flags).toEqual([COMMENT_FLAGS.truncated]);
    expect(comment.metadata.flags_options[COMMENT_FLAGS.truncated].message).toMatch(/cut/);
  });

  it('show their requester nothing about the mail they came from', async () => {
    const opened = await receive(composeMail({ from: 'Rita <rita@customer.test>' }));
    if (opened.kind !== 'ticket_created') throw new Error('expected a ticket');
    const rita = await findUserByEmail('rita@customer.test');
    const response = await callApi(requests, {
      method: 'GET',
      path: `/api/v2/requests/${opened.ticketId}/comments.json`,
      caller: { userId: rita?.id ?? 0, role: 'end-user' },
    });
    expect(response.status).toBe(200);
    const [comment] = response.body.comments;
    expect(comment.body).toBe('It is on fire. Please help.');
    expect(comment.metadata).toEqual({ system: {}, custom: {} });
    expect(JSON.stringify(response.body)).not.toMatch(/original_email|inbound\/|raw_mail|message_id/);
  });
});
