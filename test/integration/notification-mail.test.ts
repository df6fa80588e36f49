/**
 * The send-notification-mail consumer: the mail rules ask for, from the seeded default triggers and
 * from triggers a test creates, delivered from `notification.requested` as in the runtime.
 */

import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { type ParsedMail, simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSendNotificationMailHandler } from '../../functions/events/send-notification-mail.ts';
import type { Group } from '../../shared/domain/directory/group.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { compileRule } from '../../shared/domain/rules/compile-rule.ts';
import { type Audit, apiVia, type NotificationEvent } from '../../shared/domain/tickets/ticket.ts';
import { replyAddressFor } from '../../shared/mail/addresses.ts';
import type { MailSender, OutgoingMail } from '../../shared/mail/mail-sender.ts';
import { ticketIdFromOwnMessageId } from '../../shared/mail/message-ids.ts';
import { defaultTriggers } from '../../shared/setup/default-triggers.ts';
import { listAllRules } from '../../shared/store/rules.ts';
import { findThreadedMessages } from '../../shared/store/tickets/mail-threads.ts';
import { readAllAudits } from '../../shared/store/tickets/ticket-metrics.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { addGroupMember, createGroup } from '../../shared/use-cases/groups/manage-groups.ts';
import { createRule, updateRule } from '../../shared/use-cases/rules/manage-rules.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { composeMail as composeInbound, receive } from '../fixtures/mail/inbound-harness.ts';
import { lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';
import { notificationRecords, runTriggers, seedTriggersForTest } from '../support/rule-notifications.ts';

useTestTables();
const SECRET = process.env.MAIL_SECRET ?? '';
const SUPPORT = 'support@relaydesk.test';

class RecordingSender implements MailSender {
  readonly sent: OutgoingMail[] = [];
  async send(mail: OutgoingMail): Promise<{ providerMessageId: string }> {
    this.sent.push(mail);
    return { providerMessageId: `0100${randomUUID()}-000000` };
  }
  to(address: string): OutgoingMail[] {
    return this.sent.filter((mail) => mail.to.includes(address));
  }
  async only(address: string): Promise<ParsedMail> {
    const mails = this.to(address);
    if (mails.length !== 1) throw new Error(`${mails.length} mails to ${address}`);
    return simpleParser((mails[0] as OutgoingMail).raw);
  }
}

const deliver = (sender: MailSender, ...records: SQSRecord[]) =>
  asFunction('send-notification-mail', () =>
    createSendNotificationMailHandler({ sender })({ Records: records }, lambdaContext()),
  );

let admin: User;
let agent: User;
let colleague: User;
let tier: Group;
const now = () => new Date().toISOString();
const as = (user: User) => ({ userId: user.id, role: user.role, email: user.email ?? '' });

const customer = (local: string, verified = true) =>
  createUser({ name: `${local} Customer`, email: `${local}@customer.test`, verified }, now());

/** A ticket its requester opened themselves through the API (the acknowledgement trigger's case). */
const requestedBy = (requester: User, subject = 'Cannot log in', groupId?: number) =>
  createTicket({
    caller: as(requester),
    via: apiVia(),
    now: now(),
    fields: { subject, ...(groupId === undefined ? {} : { group_id: groupId }) },
    comment: { body: 'My password stopped working after the update.' },
  });

/** The rule audit of an update and the records of its notifications. */
const triggered = async (audit: Audit): Promise<{ ruleAudit: Audit; records: SQSRecord[] }> => {
  const ruleAudit = await runTriggers(audit.ticket_id, audit.id);
  if (!ruleAudit) throw new Error('no trigger fired');
  return { ruleAudit, records: notificationRecords(ruleAudit) };
};

const notificationsOf = (audit: Audit): NotificationEvent[] =>
  audit.events.filter((event): event is NotificationEvent => event.type === 'Notification');

beforeAll(async () => {
  admin = await createUser({ name: 'Ada Admin', email: 'ada@relaydesk-staff.test', role: 'admin' }, now());
  agent = await createUser({ name: 'Aki Agent', email: 'aki@relaydesk-staff.test', role: 'agent' }, now());
  colleague = await createUser({ name: 'Bo Agent', email: 'bo@relaydesk-staff.test', role: 'agent' }, now());
  await seedTriggersForTest(admin.id);
  tier = await createGroup({ name: 'Billing' }, now());
  await addGroupMember({ user_id: agent.id, group_id: tier.id }, now());
  await addGroupMember({ user_id: colleague.id, group_id: tier.id }, now());
});

describe('the seeded default triggers', () => {
  it('are stored in order, marked default, and each compiles; the VIP example is inactive', async () => {
    const seeded = await listAllRules('trigger');
    expect(seeded.map((rule) => [rule.title, rule.active, rule.default])).toEqual([
      ['Notify requester of received request', true, true],
      ['Notify requester and CCs of comment update', true, true],
      ['Notify requester of new proactive ticket', true, true],
      ['Notify assignee of assignment', true, true],
      ['Notify group of new unassigned ticket', true, true],
      ['VIP: enterprise organizations go to Tier 2', false, true],
    ]);
    for (const trigger of defaultTriggers({ 'Tier 1': 1, 'Tier 2': 2, 'Tier 3': 3 })) {
      expect(compileRule(trigger, 'trigger').ok, trigger.title).toBe(true);
    }
  });
});

describe('a notification without a comment', () => {
  it('acknowledges a new request: text and escaped HTML, automatic headers, Reply-To the ticket, threaded id', async () => {
    const sender = new RecordingSender();
    const requester = await customer('ack');
    const created = await requestedBy(requester, 'Cannot <b>log</b> in');
    const { ruleAudit, records } = await triggered(created.audit);
    expect(ruleAudit.via).toMatchObject({
      channel: 'rule',
      source: { from: { title: 'Notify requester of received request' }, rel: 'trigger' },
    });

    expect(await deliver(sender, ...records)).toEqual({ batchItemFailures: [] });
    expect(sender.sent.map((mail) => mail.to)).toEqual([['ack@customer.test']]);
    const mail = await sender.only('ack@customer.test');
    expect(mail.subject).toBe('Request received: Cannot <b>log</b> in');
    expect(mail.from?.value).toEqual([{ address: SUPPORT, name: 'Relaydesk Support' }]);
    expect(mail.replyTo?.value[0]?.address).toBe(replyAddressFor(created.ticket.reply_token ?? ''));
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect(mail.text).toContain(`Your request (#${created.ticket.id}) has been received`);
    expect(mail.html).toContain(`Your request (#${created.ticket.id}) has been received`);
    expect(mail.html).toContain('<title>Request received: Cannot &lt;b&gt;log&lt;/b&gt; in</title>');
    expect(mail.html).not.toContain('<b>log</b>');
    expect(ticketIdFromOwnMessageId(mail.messageId ?? '', SECRET)).toBe(created.ticket.id);
    expect(await findThreadedMessages([mail.messageId ?? ''])).toEqual([
      expect.objectContaining({ ticketId: created.ticket.id, recipients: ['ack@customer.test'] }),
    ]);
  });

  it('echoes none of an unverified requester’s subject or text', async () => {
    const sender = new RecordingSender();
    const requester = await customer('stranger', false);
    const created = await requestedBy(requester, 'Buy cheap pills at spam.test');
    await deliver(sender, ...(await triggered(created.audit)).records);
    const mail = await sender.only('stranger@customer.test');
    expect(mail.subject).toBe('Request received:');
    expect(`${mail.text}${mail.html}`).not.toContain('spam.test');
    expect(mail.text).not.toContain('password');
    expect(mail.text).toContain(`#${created.ticket.id}`);
  });

  it('tells every member of the group about a new unassigned ticket, replying to the support address', async () => {
    const sender = new RecordingSender();
    const created = await requestedBy(await customer('grouped'), 'Invoice missing', tier.id);
    const { ruleAudit, records } = await triggered(created.audit);
    expect(notificationsOf(ruleAudit).map((event) => event.via.source.from.title)).toEqual([
      'Notify requester of received request',
      'Notify group of new unassigned ticket',
    ]);
    await deliver(sender, ...records);
    for (const address of ['aki@relaydesk-staff.test', 'bo@relaydesk-staff.test']) {
      const mail = await sender.only(address);
      expect(mail.subject).toBe(`[${created.ticket.id}] New ticket in Billing: Invoice missing`);
      expect(mail.replyTo?.value[0]?.address).toBe(SUPPORT);
      expect(mail.text).not.toContain('Please type your reply above this line');
    }
    expect(sender.to('grouped@customer.test')).toHaveLength(1);
  });

  it('tells the assignee, unless they assigned themselves', async () => {
    const sender = new RecordingSender();
    const created = await requestedBy(await customer('assigned'), 'Refund please', tier.id);
    const assign = async (by: User, to: User) =>
      (
        await updateTicket({
          caller: as(by),
          ticketId: created.ticket.id,
          via: apiVia(),
          now,
          fields: { assignee_id: to.id },
        })
      ).audit as Audit;
    await deliver(sender, ...(await triggered(await assign(colleague, agent))).records);
    const mail = await sender.only('aki@relaydesk-staff.test');
    expect(mail.subject).toBe(`[${created.ticket.id}] Assignment: Refund please`);
    expect(mail.text).toContain('has been assigned to you');

    expect(await runTriggers(created.ticket.id, (await assign(colleague, colleague)).id)).toBeUndefined();
  });

  it('sends each recipient one mail however often, and however concurrently, the event is delivered', async () => {
    const sender = new RecordingSender();
    const created = await requestedBy(await customer('twice'), 'Twice', tier.id);
    const { records } = await triggered(created.audit);
    const copies = (suffix: string) =>
      records.map((record) => ({ ...record, messageId: `${record.messageId}-${suffix}` }));
    // A copy that meets the other's live claim fails that record (a batch whose records all fail fails
    // whole), for the queue to retry later; the retries find every mail sent.
    await Promise.allSettled([deliver(sender, ...copies('a')), deliver(sender, ...copies('b'))]);
    await deliver(sender, ...records);
    await deliver(sender, ...records);
    expect(sender.sent.map((mail) => mail.to[0]).sort()).toEqual([
      'aki@relaydesk-staff.test',
      'bo@relaydesk-staff.test',
      'twice@customer.test',
    ]);
  });
});

describe('protections against automatic mail loops and relaying', () => {
  it('answers no mail a machine sent: the requester hears nothing, the assignee still does', async () => {
    const sender = new RecordingSender();
    await createRule(
      'trigger',
      {
        title: 'Tell everyone about updates to tagged tickets',
        conditions: {
          all: [
            { field: 'update_type', operator: 'is', value: 'Change' },
            { field: 'current_tags', operator: 'includes', value: 'watched' },
          ],
        },
        actions: [
          { field: 'notification_user', value: ['requester_id', 'Updated', 'Your ticket changed.'] },
          { field: 'notification_user', value: ['assignee_id', 'Updated', 'A ticket of yours changed.'] },
        ],
      },
      now(),
    );
    const requester = await customer('ooo');
    const { ticket } = await createTicket({
      caller: as(agent),
      via: apiVia(),
      now: now(),
      fields: { subject: 'Watched', tags: ['watched'], assignee_id: agent.id },
      requester: requester.id,
      comment: { body: 'Opened for the customer' },
    });
    const outcome = await receive(
      composeInbound({
        from: 'Ooo Customer <ooo@customer.test>',
        to: replyAddressFor(ticket.reply_token ?? ''),
        subject: 'Automatic reply: Watched',
        headers: ['Auto-Submitted: auto-replied'],
        body: 'I am out of office until Monday.',
      }),
    );
    expect(outcome).toMatchObject({ kind: 'comment_added', ticketId: ticket.id, public: false });
    const audits = await readAllAudits(ticket.id);
    const { ruleAudit, records } = await triggered(audits.at(-1) as Audit);
    expect(notificationsOf(ruleAudit)).toHaveLength(2);

    await deliver(sender, ...records);
    expect(sender.to('ooo@customer.test')).toHaveLength(0);
    expect(sender.to('aki@relaydesk-staff.test')).toHaveLength(1);
  });

  it('never mails a no-reply style requester', async () => {
    const sender = new RecordingSender();
    const robot = await createUser({ name: 'Robot', email: 'no-reply@partner.test', verified: true }, now());
    const created = await requestedBy(robot, 'Automated report');
    const { ruleAudit, records } = await triggered(created.audit);
    expect(notificationsOf(ruleAudit)).toHaveLength(1);
    expect(await deliver(sender, ...records)).toEqual({ batchItemFailures: [] });
    expect(sender.sent).toHaveLength(0);
  });

  it('caps acknowledgements per address and hour, so an open form cannot flood one mailbox', async () => {
    process.env.AUTO_MAIL_LIMIT_PER_HOUR = '2';
    try {
      const sender = new RecordingSender();
      const victim = await customer('victim', false);
      for (let count = 0; count < 4; count++) {
        const created = await requestedBy(victim, `Spam ${count}`);
        await deliver(sender, ...(await triggered(created.audit)).records);
      }
      expect(sender.to('victim@customer.test')).toHaveLength(2);
    } finally {
      delete process.env.AUTO_MAIL_LIMIT_PER_HOUR;
    }
  });
});

describe('a notification that carries a comment', () => {
  it('is the threaded comment mail, and deactivating the default trigger stops comment mail', async () => {
    const sender = new RecordingSender();
    const requester = await customer('threaded', false);
    const { ticket } = await createTicket({
      caller: as(agent),
      via: apiVia(),
      now: now(),
      fields: { subject: 'Threaded' },
      requester: requester.id,
      comment: { body: 'Opened by phone', public: false },
    });
    const reply = async (body: string) =>
      (
        await updateTicket({
          caller: as(agent),
          ticketId: ticket.id,
          via: apiVia(),
          now,
          fields: {},
          comment: { html_body: `<p><strong>${body}</strong></p>` },
        })
      ).audit as Audit;
    const { ruleAudit, records } = await triggered(await reply('Try a reset link.'));
    expect(notificationsOf(ruleAudit)[0]).toMatchObject({ comment_id: expect.any(Number) });
    await deliver(sender, ...records);
    const mail = await sender.only('threaded@customer.test');
    // The requester is unverified: no title in the subject, but the agent's own words go out in full.
    expect(mail.subject).toBe(`[Ticket #${ticket.id}]`);
    expect(mail.html).toContain('<strong>Try a reset link.</strong>');
    expect(mail.text).toContain('Try a reset link.');
    expect(mail.headers.has('auto-submitted')).toBe(false);
    expect(mail.replyTo?.value[0]?.address).toBe(
      replyAddressFor((await getTicket(ticket.id))?.reply_token ?? ''),
    );

    const [comment] = (await listAllRules('trigger')).filter(
      (rule) => rule.title === 'Notify requester and CCs of comment update',
    );
    await updateRule('trigger', comment?.id ?? 0, { active: false }, now());
    try {
      expect(await runTriggers(ticket.id, (await reply('Anyone?')).id)).toBeUndefined();
    } finally {
      await updateRule('trigger', comment?.id ?? 0, { active: true }, now());
    }
  });

  it('shows a rule body that is more than the comment instead of the comment', async () => {
    const sender = new RecordingSender();
    await createRule(
      'trigger',
      {
        title: 'Signed comment mail',
        conditions: {
          all: [
            { field: 'comment_is_public', operator: 'is', value: true },
            { field: 'current_tags', operator: 'includes', value: 'signed' },
          ],
        },
        actions: [
          {
            field: 'notification_user',
            value: [
              'requester_and_ccs',
              'Signed: {{ticket.title}}',
              '{{ticket.latest_public_comment}}\n\n-- The <Desk>',
            ],
          },
        ],
      },
      now(),
    );
    const requester = await customer('signed');
    const { ticket } = await createTicket({
      caller: as(agent),
      via: apiVia(),
      now: now(),
      fields: { subject: 'Signed', tags: ['signed'] },
      requester: requester.id,
      comment: { body: 'x', public: false },
    });
    const update = await updateTicket({
      caller: as(agent),
      ticketId: ticket.id,
      via: apiVia(),
      now,
      fields: {},
      comment: { body: 'Fixed it.' },
    });
    const { ruleAudit, records } = await triggered(update.audit as Audit);
    const titles = notificationsOf(ruleAudit).map((event) => event.via.source.from.title);
    expect(titles).toEqual(['Notify requester and CCs of comment update', 'Signed comment mail']);
    const [standard, signed] = records as [SQSRecord, SQSRecord];
    await deliver(sender, signed);
    const mail = await sender.only('signed@customer.test');
    expect(mail.subject).toBe('Signed: Signed');
    expect(mail.text).toContain('Fixed it.\n\n-- The <Desk>');
    expect(mail.html).toContain('-- The &lt;Desk&gt;');
    // Both carry the same comment, which is mailed once: the other finds it sent.
    await deliver(sender, standard);
    expect(sender.sent).toHaveLength(1);
  });
});
