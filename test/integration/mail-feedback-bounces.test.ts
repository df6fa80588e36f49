import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSendNotificationMailHandler } from '../../functions/events/send-notification-mail.ts';
import { createRecordMailFeedbackHandler } from '../../functions/mail/record-mail-feedback.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { apiVia, type Comment, type Ticket } from '../../shared/domain/tickets/ticket.ts';
import { serializeUser } from '../../shared/http/serializers/user.ts';
import type { MailSender, OutgoingMail } from '../../shared/mail/mail-sender.ts';
import { type SesFeedbackNotification, toSnsEnvelope } from '../../shared/mail/ses-notification.ts';
import { getUser } from '../../shared/store/directory/users.ts';
import { getTicket, listComments } from '../../shared/store/tickets/tickets.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';
import { seedTriggersForTest, triggeredNotifications } from '../support/rule-notifications.ts';
import { sqsRecord } from '../support/sqs-event.ts';

useTestTables();
process.env.MAIL_SECRET = 'feedback-test-secret';
process.env.SUPPORT_ADDRESS = 'support@relaydesk.test';

class RecordingSender implements MailSender {
  readonly sent: (OutgoingMail & { providerMessageId: string })[] = [];
  async send(mail: OutgoingMail): Promise<{ providerMessageId: string }> {
    const providerMessageId = `0100${randomUUID()}-000000`;
    this.sent.push({ ...mail, providerMessageId });
    return { providerMessageId };
  }
}

const feedback = (notification: SesFeedbackNotification, id: string = randomUUID()): SQSRecord =>
  sqsRecord(toSnsEnvelope(notification, randomUUID()), id);

const bounce = (
  sesMessageId: string,
  addresses: string[],
  bounceType = 'Permanent',
): SesFeedbackNotification => ({
  notificationType: 'Bounce',
  mail: { messageId: sesMessageId, destination: addresses },
  bounce: {
    bounceType,
    bounceSubType: 'General',
    bouncedRecipients: addresses.map((emailAddress) => ({ emailAddress })),
  },
});

const complaint = (sesMessageId: string, addresses: string[]): SesFeedbackNotification => ({
  notificationType: 'Complaint',
  mail: { messageId: sesMessageId, destination: addresses },
  complaint: { complainedRecipients: addresses.map((emailAddress) => ({ emailAddress })) },
});

const recordFeedback = createRecordMailFeedbackHandler({ now: () => '2026-12-01T10:00:00Z' });
const runFeedback = (...records: SQSRecord[]) =>
  asFunction('record-mail-feedback', () => recordFeedback({ Records: records }, lambdaContext()));

let agent: User;
const caller = () => ({ userId: agent.id, role: agent.role, email: agent.email ?? '' });

/** A ticket whose requester received one agent reply; returns the SES id of that mail. */
const mailedTicket = async (
  sender: RecordingSender,
  requester: User,
): Promise<{ ticket: Ticket; sesMessageId: string }> => {
  const { ticket } = await createTicket({
    caller: caller(),
    via: apiVia(),
    now: new Date().toISOString(),
    fields: { subject: 'Where is my order?' },
    requester: requester.id,
    comment: { body: 'Opened by phone', public: false },
  });
  await reply(sender, ticket.id, 'It ships today.', 'pending');
  const sesMessageId = sender.sent.at(-1)?.providerMessageId;
  if (!sesMessageId) throw new Error('no mail sent');
  return { ticket, sesMessageId };
};

const reply = async (sender: RecordingSender, ticketId: number, body: string, status?: 'pending') => {
  const result = await updateTicket({
    caller: caller(),
    ticketId,
    via: apiVia(),
    now: () => new Date().toISOString(),
    fields: status ? { status } : {},
    comment: { body },
  });
  const event = result.audit?.events.find((candidate) => candidate.type === 'Comment');
  if (!result.audit || !event || !('id' in event)) throw new Error('no comment');
  await mailNotifications(sender, ticketId, result.audit.id);
  return event.id;
};

/** Runs the triggers for an update and mails what they asked for, as the runtime does. */
const mailNotifications = async (sender: RecordingSender, ticketId: number, auditId: number) => {
  const records = await triggeredNotifications(ticketId, auditId);
  await asFunction('send-notification-mail', () =>
    createSendNotificationMailHandler({ sender })({ Records: records }, lambdaContext()),
  );
  return records;
};

const comments = async (ticketId: number): Promise<Comment[]> =>
  (await listComments(ticketId, { mode: 'cursor', size: 100, descending: false })).items;

const customer = (name: string) =>
  createUser({ name, email: `${name.toLowerCase()}@customer.test` }, '2026-11-30T00:00:00Z');

beforeAll(async () => {
  agent = await createUser(
    { name: 'Aki', email: 'aki@relaydesk-staff.test', role: 'agent' },
    '2026-11-30T00:00:00Z',
  );
  await seedTriggersForTest(agent.id);
});

describe('a permanent bounce', () => {
  it('marks the user undeliverable, notes it on the ticket without changing it, and stops further mail', async () => {
    const sender = new RecordingSender();
    const requester = await customer('Bounced');
    const { ticket, sesMessageId } = await mailedTicket(sender, requester);
    const before = await getTicket(ticket.id);

    expect(await runFeedback(feedback(bounce(sesMessageId, ['Bounced@Customer.test'])))).toEqual({
      batchItemFailures: [],
    });

    const user = await getUser(requester.id);
    expect(user?.email_undeliverable).toEqual({
      address: 'bounced@customer.test',
      reason: 'bounce: Permanent (General)',
      at: '2026-12-01T10:00:00Z',
    });
    expect(serializeUser(user as User, 'https://x.test')).toMatchObject({
      email: 'bounced@customer.test',
      email_deliverable: false,
      email_undeliverable_reason: 'bounce: Permanent (General)',
    });

    const after = await getTicket(ticket.id);
    expect(after?.status).toBe('pending');
    expect(after?.status).toBe(before?.status);
    const note = (await comments(ticket.id)).at(-1);
    expect(note).toMatchObject({ public: false, author_id: 0, via: { channel: 'system' } });
    expect(note?.body).toContain('bounced@customer.test could not be delivered');

    // The note itself is never mailed, and neither is the next reply.
    expect(await mailNotifications(sender, ticket.id, note?.audit_id ?? 0)).toEqual([]);
    await reply(sender, ticket.id, 'Hello again?');
    expect(sender.sent).toHaveLength(1);
  });

  it('adds one note however often the notification is delivered', async () => {
    const sender = new RecordingSender();
    const { ticket, sesMessageId } = await mailedTicket(sender, await customer('Twice'));
    const notification = bounce(sesMessageId, ['twice@customer.test']);
    await runFeedback(feedback(notification));
    await runFeedback(feedback(notification));
    expect((await comments(ticket.id)).filter((comment) => comment.via.channel === 'system')).toHaveLength(1);
  });

  it('shows the user deliverable again once their email changes', async () => {
    const sender = new RecordingSender();
    const requester = await customer('Mover');
    const { sesMessageId } = await mailedTicket(sender, requester);
    await runFeedback(feedback(bounce(sesMessageId, ['mover@customer.test'])));
    const user = (await getUser(requester.id)) as User;
    expect(serializeUser({ ...user, email: 'mover@elsewhere.test' }, 'https://x.test')).toMatchObject({
      email_deliverable: true,
      email_undeliverable_at: null,
    });
  });
});

describe('a complaint', () => {
  it('marks the address undeliverable and notes it on the ticket', async () => {
    const sender = new RecordingSender();
    const requester = await customer('Grumpy');
    const { ticket, sesMessageId } = await mailedTicket(sender, requester);
    await runFeedback(feedback(complaint(sesMessageId, ['grumpy@customer.test'])));

    expect((await getUser(requester.id))?.email_undeliverable?.reason).toBe('complaint');
    expect((await comments(ticket.id)).at(-1)).toMatchObject({ public: false, via: { channel: 'system' } });
    await reply(sender, ticket.id, 'Sorry to bother you');
    expect(sender.sent).toHaveLength(1);
  });
});

describe('configuration-set events', () => {
  it('are understood like identity notifications (eventType instead of notificationType)', async () => {
    const sender = new RecordingSender();
    const requester = await customer('Evented');
    const { sesMessageId } = await mailedTicket(sender, requester);
    const { notificationType, ...rest } = bounce(sesMessageId, ['evented@customer.test']);
    const event = { ...rest, eventType: notificationType } as unknown as SesFeedbackNotification;
    expect(await runFeedback(feedback(event))).toEqual({ batchItemFailures: [] });
    expect((await getUser(requester.id))?.email_undeliverable?.address).toBe('evented@customer.test');
  });
});

describe('a transient bounce', () => {
  it('is noted on the ticket but does not stop mail', async () => {
    const sender = new RecordingSender();
    const requester = await customer('Full');
    const { ticket, sesMessageId } = await mailedTicket(sender, requester);
    await runFeedback(feedback(bounce(sesMessageId, ['full@customer.test'], 'Transient')));

    expect((await getUser(requester.id))?.email_undeliverable ?? null).toBeNull();
    expect((await comments(ticket.id)).at(-1)?.body).toContain('Delivery was not stopped');
    await reply(sender, ticket.id, 'Trying again');
    expect(sender.sent).toHaveLength(2);
  });
});

describe('the feedback consumer', () => {
  it('ignores delivery notices and feedback about mail it does not know, and reports only the poison message', async () => {
    const sender = new RecordingSender();
    const requester = await customer('Happy');
    const { ticket, sesMessageId } = await mailedTicket(sender, requester);
    const notes = (await comments(ticket.id)).length;
    const delivery = feedback({
      notificationType: 'Delivery',
      mail: { messageId: sesMessageId, destination: ['happy@customer.test'] },
    });
    const unknown = feedback(bounce('0100-not-ours', ['stranger@customer.test']));
    const poison = sqsRecord('{"Type":"Notification","MessageId":"m","Message":"not json"}', 'poison');

    expect(await runFeedback(delivery, poison, unknown)).toEqual({
      batchItemFailures: [{ itemIdentifier: 'poison' }],
    });
    expect((await getUser(requester.id))?.email_undeliverable ?? null).toBeNull();
    expect(await comments(ticket.id)).toHaveLength(notes);
  });
});
