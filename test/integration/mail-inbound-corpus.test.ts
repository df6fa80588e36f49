import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replyAddressFor } from '../../shared/mail/addresses.ts';
import { getUser } from '../../shared/store/directory/users.ts';
import { getTicket, listComments } from '../../shared/store/tickets/tickets.ts';
import { corpus } from '../fixtures/mail/expectations.ts';
import { composeMail, receive } from '../fixtures/mail/inbound-harness.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();

const folder = join(import.meta.dirname, '../fixtures/mail');
const files = readdirSync(folder).filter((name) => name.endsWith('.eml'));
const fromAddress = (raw: Buffer) => /^From:.*?<([^>]+)>/im.exec(raw.toString('latin1'))?.[1] ?? 'x@x.test';

describe('inbound mail corpus', () => {
  it('has an expectation for every fixture, and at least 40 fixtures', () => {
    expect(files.sort()).toEqual(Object.keys(corpus).sort());
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(Object.entries(corpus))('%s', async (name, expected) => {
    const raw = readFileSync(join(folder, name));
    let recipients: string[] | undefined;
    if (expected.reply) {
      const opened = await receive(composeMail({ from: fromAddress(raw), subject: 'Original' }));
      if (opened.kind !== 'ticket_created') throw new Error('could not open the ticket to reply to');
      recipients = [replyAddressFor((await getTicket(opened.ticketId))?.reply_token ?? '')];
    }
    const outcome = await receive(raw, recipients ? { recipients } : {});
    expect(outcome.kind).toBe(expected.kind);
    if (outcome.kind === 'suspended') expect(outcome.cause).toBe(expected.cause);
    if (outcome.kind !== 'ticket_created' && outcome.kind !== 'comment_added') return;
    if (expected.public !== undefined && outcome.kind === 'comment_added')
      expect(outcome.public).toBe(expected.public);
    const ticket = await getTicket(outcome.ticketId);
    const comment = (
      await listComments(outcome.ticketId, { mode: 'cursor', size: 100, descending: false })
    ).items.find((candidate) => candidate.id === outcome.commentId);
    for (const text of expected.body ?? []) expect(comment?.body).toContain(text);
    for (const text of expected.notBody ?? []) expect(comment?.body).not.toContain(text);
    for (const text of expected.notHtml ?? []) expect(comment?.html_body.toLowerCase()).not.toContain(text);
    if (expected.subject) expect(ticket?.subject).toBe(expected.subject);
    if (expected.requester)
      expect((await getUser(ticket?.requester_id ?? 0))?.email).toBe(expected.requester);
    if (expected.attachments) {
      expect(comment?.attachments.map(({ file_name, inline }) => ({ file_name, inline }))).toEqual(
        expected.attachments.map((attachment) => ({ inline: false, ...attachment })),
      );
    }
    expect(comment?.mail?.truncated ?? false).toBe(expected.truncated ?? false);
  });
});
