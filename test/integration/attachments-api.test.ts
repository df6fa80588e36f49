import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/api/attachments.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import type { Comment } from '../../shared/domain/tickets/ticket.ts';
import { createMessageId } from '../../shared/mail/message-ids.ts';
import { findUserByEmail } from '../../shared/store/directory/users.ts';
import { listComments } from '../../shared/store/tickets/tickets.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { receive } from '../fixtures/mail/inbound-harness.ts';
import { apiEvent, callApi, lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { validateAgainst } from '../support/openapi.ts';

useTestTables();

let agent: User;
let requester: User;
let stranger: User;
let ticketId: number;
let publicComment: Comment;
let internalComment: Comment;

const fixture = readFileSync(
  join(import.meta.dirname, '../fixtures/mail/thunderbird-attachment.eml'),
  'latin1',
);

beforeAll(async () => {
  agent = await createUser(
    { name: 'Aki', email: 'aki@relaydesk.test', role: 'agent' },
    '2026-11-25T08:00:00Z',
  );
  stranger = await createUser(
    { name: 'Oz', email: 'oz@else.test', role: 'end-user' },
    '2026-11-25T08:00:00Z',
  );
  const opened = await receive(fixture);
  if (opened.kind !== 'ticket_created') throw new Error('expected a ticket');
  ticketId = opened.ticketId;
  requester = (await findUserByEmail('dan@thunderbird.test')) as User;
  // The same attachment mailed by someone not on the ticket lands on an internal note.
  const ours = createMessageId({ ticketId, secret: process.env.MAIL_SECRET ?? '', domain: 'relaydesk.test' });
  const note = fixture
    .replace('From: Dan Bird <dan@thunderbird.test>', `From: mal@evil.test\r\nIn-Reply-To: ${ours}`)
    .replace(/Message-ID: <[^>]+>\r\n/, '');
  expect(await receive(note)).toMatchObject({ kind: 'comment_added', public: false });
  const comments = (await listComments(ticketId, { mode: 'cursor', size: 10, descending: false })).items;
  [publicComment, internalComment] = comments as [Comment, Comment];
});

const content = (id: number, caller: { userId: number; role: User['role'] }) =>
  handler(apiEvent({ method: 'GET', path: `/api/v2/attachments/${id}/content`, caller }), lambdaContext());

describe('attachments API', () => {
  it('shows attachment metadata as Zendesk AttachmentObject', async () => {
    const id = publicComment.attachments[0]?.id ?? 0;
    const response = await callApi(handler, {
      method: 'GET',
      path: `/api/v2/attachments/${id}.json`,
      caller: { userId: agent.id, role: 'agent' },
    });
    expect(response.body.attachment).toMatchObject({
      id,
      file_name: 'app.log',
      content_type: 'text/plain',
      size: 11,
    });
    expect(validateAgainst('AttachmentObject', response.body.attachment)).toEqual([]);
  });

  it('serves the bytes as a sandboxed download to staff and to the requester of a public comment', async () => {
    const id = publicComment.attachments[0]?.id ?? 0;
    for (const caller of [
      { userId: agent.id, role: 'agent' as const },
      { userId: requester.id, role: 'end-user' as const },
    ]) {
      const response = await content(id, caller);
      expect(response.statusCode).toBe(200);
      expect(response.isBase64Encoded).toBe(true);
      expect(Buffer.from(response.body ?? '', 'base64').toString()).toBe('ERROR boom\n');
      expect(response.headers).toMatchObject({
        'Content-Disposition': "attachment; filename*=UTF-8''app.log",
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': 'sandbox',
      });
    }
  });

  it('hides attachments from end-users who are not the requester, and internal-note attachments from every end-user', async () => {
    expect(
      (await content(publicComment.attachments[0]?.id ?? 0, { userId: stranger.id, role: 'end-user' }))
        .statusCode,
    ).toBe(404);
    const internal = internalComment.attachments[0]?.id ?? 0;
    expect((await content(internal, { userId: requester.id, role: 'end-user' })).statusCode).toBe(404);
    expect((await content(internal, { userId: agent.id, role: 'agent' })).statusCode).toBe(200);
  });

  it('serves the original mail of a comment to staff only, as message/rfc822', async () => {
    const path = `/api/v2/tickets/${ticketId}/comments/${publicComment.id}/original_email`;
    const response = await handler(
      apiEvent({ method: 'GET', path, caller: { userId: agent.id, role: 'agent' } }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('message/rfc822');
    expect(Buffer.from(response.body ?? '', 'base64').toString('latin1')).toBe(fixture);
    const forbidden = await handler(
      apiEvent({ method: 'GET', path, caller: { userId: requester.id, role: 'end-user' } }),
      lambdaContext(),
    );
    expect(forbidden.statusCode).toBe(403);
  });
});
