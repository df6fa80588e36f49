import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../shared/domain/directory/user.ts';
import { apiVia, type Ticket } from '../../shared/domain/tickets/ticket.ts';
import { serializeUser } from '../../shared/http/serializers/user.ts';
import { createMessageId } from '../../shared/mail/message-ids.ts';
import { findUserByEmail, getUser } from '../../shared/store/directory/users.ts';
import { suppressedAmong } from '../../shared/store/mail/mail-suppressions.ts';
import { recordThreadedMessage } from '../../shared/store/tickets/mail-threads.ts';
import { getTicket, listComments } from '../../shared/store/tickets/tickets.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { receive } from '../fixtures/mail/inbound-harness.ts';
import { useTestTables } from '../support/dynamo.ts';

useTestTables();

let agent: User;
const caller = () => ({ userId: agent.id, role: agent.role, email: agent.email ?? '' });

beforeAll(async () => {
  agent = await createUser(
    { name: 'Aki', email: 'aki@relaydesk-staff.test', role: 'agent' },
    '2026-11-30T00:00:00Z',
  );
});

/** A pending ticket whose requester was mailed an agent reply. */
const pendingTicket = async (requester: User): Promise<Ticket> => {
  const { ticket } = await createTicket({
    caller: caller(),
    via: apiVia(),
    now: new Date().toISOString(),
    fields: { subject: 'Where is my order?' },
    requester: requester.id,
    comment: { body: 'Opened by phone', public: false },
  });
  return (
    await updateTicket({
      caller: caller(),
      ticketId: ticket.id,
      via: apiVia(),
      now: () => new Date().toISOString(),
      fields: { status: 'pending' },
      comment: { body: 'It ships today.' },
    })
  ).ticket;
};

/** An RFC 3464 report from the recipient's mail server about the mail whose Message-ID is `bounced`. */
const deliveryReport = (input: {
  failed: string;
  bounced: string;
  returned: 'text/rfc822-headers' | 'message/rfc822';
}) =>
  [
    'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.customer.test>',
    'To: support@relaydesk.test',
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <${randomUUID()}@mx.customer.test>`,
    'Auto-Submitted: auto-replied',
    'Date: Tue, 01 Dec 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="report"',
    '',
    '--report',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Your message could not be delivered to one or more recipients.',
    '--report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.customer.test',
    '',
    `Final-Recipient: rfc822; ${input.failed}`,
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable',
    '',
    '--report',
    `Content-Type: ${input.returned}`,
    '',
    'From: Relaydesk Support <support@relaydesk.test>',
    `To: ${input.failed}`,
    'Subject: [Relaydesk] Re: Where is my order?',
    `Message-ID: ${input.bounced}`,
    '',
    ...(input.returned === 'message/rfc822' ? ['It ships today.', ''] : []),
    '--report--',
    '',
  ].join('\r\n');

describe('a delivery status notification for our mail', () => {
  it.each(['text/rfc822-headers', 'message/rfc822'] as const)(
    'naming our own Message-ID (%s) marks the recipient undeliverable and notes it on the ticket without reopening it',
    async (returned) => {
      const requester = await createUser(
        { name: 'Gone', email: `gone-${randomUUID()}@customer.test` },
        '2026-11-30T00:00:00Z',
      );
      const ticket = await pendingTicket(requester);
      const ours = createMessageId({
        ticketId: ticket.id,
        secret: process.env.MAIL_SECRET ?? '',
        domain: 'relaydesk.test',
      });

      const outcome = await receive(
        deliveryReport({ failed: requester.email ?? '', bounced: ours, returned }),
      );

      expect(outcome).toEqual({ kind: 'bounce_recorded', addresses: [requester.email], ticketId: ticket.id });
      const user = (await getUser(requester.id)) as User;
      expect(serializeUser(user, 'https://x.test')).toMatchObject({ email_deliverable: false });
      expect(await suppressedAmong([requester.email ?? ''])).toEqual(new Set([requester.email]));
      const after = (await getTicket(ticket.id)) as Ticket;
      expect(after.status).toBe('pending');
      const note = (await listComments(ticket.id, { mode: 'cursor', size: 100, descending: false })).items.at(
        -1,
      );
      expect(note).toMatchObject({ public: false, author_id: 0, via: { channel: 'system' } });
      expect(note?.body).toContain(`${requester.email} could not be delivered`);
      // The reporting system never becomes a user, let alone a requester.
      expect(await findUserByEmail('mailer-daemon@mx.customer.test')).toBeUndefined();
    },
  );

  it('naming an id recorded for the ticket (the one SES gave our mail) works the same', async () => {
    const requester = await createUser(
      { name: 'Moved', email: `moved-${randomUUID()}@customer.test` },
      '2026-11-30T00:00:00Z',
    );
    const ticket = await pendingTicket(requester);
    const sesId = `<0100${randomUUID()}-000000@email.amazonses.com>`;
    await recordThreadedMessage({
      messageId: sesId,
      ticketId: ticket.id,
      recipients: [requester.email ?? ''],
      direction: 'outbound',
    });
    const outcome = await receive(
      deliveryReport({ failed: requester.email ?? '', bounced: sesId, returned: 'text/rfc822-headers' }),
    );
    expect(outcome).toMatchObject({ kind: 'bounce_recorded', ticketId: ticket.id });
    expect((await getUser(requester.id))?.email_undeliverable?.address).toBe(requester.email);
    expect((await getTicket(ticket.id))?.status).toBe('pending');
  });

  it('naming a Message-ID that is not ours (or a forged one) silences nobody', async () => {
    const requester = await createUser(
      { name: 'Kept', email: `kept-${randomUUID()}@customer.test` },
      '2026-11-30T00:00:00Z',
    );
    const ticket = await pendingTicket(requester);
    const forged = createMessageId({
      ticketId: ticket.id,
      secret: 'not-our-secret',
      domain: 'relaydesk.test',
    });
    for (const bounced of [forged, `<${randomUUID()}@elsewhere.test>`]) {
      const outcome = await receive(
        deliveryReport({ failed: requester.email ?? '', bounced, returned: 'text/rfc822-headers' }),
      );
      expect(outcome).toEqual({ kind: 'bounce_recorded', addresses: [], ticketId: null });
    }
    expect((await getUser(requester.id))?.email_undeliverable ?? null).toBeNull();
    expect(await suppressedAmong([requester.email ?? ''])).toEqual(new Set());
  });
});
