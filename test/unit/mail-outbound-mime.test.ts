import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { User } from '../../shared/domain/directory/user.ts';
import { planCommentMail } from '../../shared/mail/outbound/comment-mail-plan.ts';
import { composeMail, type MailToCompose } from '../../shared/mail/outbound/compose-mail.ts';
import { headerText } from '../../shared/mail/outbound/header-text.ts';
import { renderCommentMail, replySubject } from '../../shared/mail/outbound/render-comment-mail.ts';
import { MAX_REFERENCES, threadHeaders } from '../../shared/mail/outbound/thread-headers.ts';

const mail = (overrides: Partial<MailToCompose> = {}): MailToCompose => ({
  from: { name: 'Relaydesk Support', address: 'support@relaydesk.test' },
  to: ['cy@customer.test'],
  replyTo: 'support+token@relaydesk.test',
  subject: 'Re: Hello',
  messageId: '<rd.1.abc.def@relaydesk.test>',
  inReplyTo: undefined,
  references: [],
  text: 'text',
  html: '<p>html</p>',
  date: new Date('2026-12-01T10:00:00Z'),
  ...overrides,
});

describe('header text', () => {
  it.each([
    ['Hi\r\nBcc: x@evil.test', 'Hi Bcc: x@evil.test'],
    ['a\u0000b', 'a b'],
    ['line\u2028separator', 'line separator'],
    ['  spaced \t out  ', 'spaced out'],
    ['\u0085next line', 'next line'],
  ])('turns %j into one safe line', (input, expected) => {
    expect(headerText(input)).toBe(expected);
  });

  it('caps the length', () => {
    expect(headerText('x'.repeat(500), 10)).toBe('x'.repeat(10));
  });
});

describe('reply subjects', () => {
  it.each([
    ['Printer on fire', 'Re: Printer on fire'],
    ['Re: already a reply', 'Re: already a reply'],
    ['RE:\r\nBcc: x@evil.test', 'RE: Bcc: x@evil.test'],
  ])('%j becomes %j', (subject, expected) => {
    expect(replySubject(subject)).toBe(expected);
  });
});

describe('threading headers', () => {
  it('replies to the newest id and references the root, the recent ids and our own new id', () => {
    const history = Array.from({ length: 40 }, (_, index) => `<m${index}@x.test>`);
    const { inReplyTo, references } = threadHeaders(history, '<own@relaydesk.test>');
    expect(inReplyTo).toBe('<m39@x.test>');
    expect(references).toHaveLength(MAX_REFERENCES);
    expect(references[0]).toBe('<m0@x.test>');
    expect(references.at(-2)).toBe('<m39@x.test>');
    expect(references.at(-1)).toBe('<own@relaydesk.test>');
  });

  it('starts a conversation with only our own id', () => {
    expect(threadHeaders([], '<own@x>')).toEqual({ inReplyTo: undefined, references: ['<own@x>'] });
  });
});

describe('composed MIME', () => {
  it('folds long References within line limits and keeps every id', async () => {
    const references = Array.from(
      { length: 20 },
      (_, index) => `<rd.1.${'r'.repeat(16)}${index}.${'m'.repeat(22)}@relaydesk.test>`,
    );
    const raw = await composeMail(mail({ references, inReplyTo: references.at(-1) }));
    const head = raw.toString('utf8').split('\r\n\r\n')[0] ?? '';
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect((await simpleParser(raw)).references).toEqual(references);
  });

  it('marks automatic mail and only automatic mail', async () => {
    const human = await simpleParser(await composeMail(mail()));
    expect(human.headers.has('auto-submitted')).toBe(false);
    const automatic = await simpleParser(
      await composeMail(
        mail({ automatic: 'auto-replied', listUnsubscribe: 'mailto:support@relaydesk.test' }),
      ),
    );
    expect(automatic.headers.get('auto-submitted')).toBe('auto-replied');
    expect(automatic.headers.get('x-auto-response-suppress')).toBe('All');
  });

  it('cannot be made to carry extra headers through any value', async () => {
    const injected = '\r\nBcc: loot@evil.test\r\nX-Injected: yes';
    const parsed = await simpleParser(
      await composeMail(
        mail({
          from: { name: `Support${injected}`, address: 'support@relaydesk.test' },
          subject: `Hello${injected}`,
          replyTo: `support+token@relaydesk.test${injected}`,
          messageId: `<rd.1.a.b@relaydesk.test>${injected}`,
          inReplyTo: `<a@b>${injected}`,
          references: [`<c@d>${injected}`],
          listUnsubscribe: `mailto:x@y${injected}`,
          automatic: 'auto-generated',
        }),
      ),
    );
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.headers.has('x-injected')).toBe(false);
    expect(parsed.subject).toBe('Hello Bcc: loot@evil.test X-Injected: yes');
  });
});

describe('the rendered comment mail', () => {
  const content = {
    ticket: { id: 7, subject: '{{ 7 | times: 6 }} <b>' },
    comment: {
      author_name: '<script>alert(1)</script>',
      created_at: '2026-12-01T10:00:00Z',
      html_body: '<p>Stored, sanitized <em>HTML</em></p>',
      plain_body: 'Stored text {% raw %}',
    },
    thread: [
      {
        author_name: 'Cy',
        created_at: '2026-11-30T10:00:00Z',
        html_body: '<p>Earlier</p>',
        plain_body: 'Earlier',
      },
    ],
    ticketUrl: 'https://desk.test/hc/requests/7?a=1&b=2',
  };

  it('escapes user content in HTML, treats it as data rather than template, and keeps text plain', async () => {
    const rendered = await renderCommentMail(content);
    expect(rendered.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(rendered.html).not.toContain('<script>');
    expect(rendered.html).toContain('{{ 7 | times: 6 }} &lt;b&gt;');
    expect(rendered.html).not.toContain('42');
    expect(rendered.html).toContain('<p>Stored, sanitized <em>HTML</em></p>');
    expect(rendered.html).toContain('href="https://desk.test/hc/requests/7?a=1&amp;b=2"');
    expect(rendered.text).toContain('Stored text {% raw %}');
    expect(rendered.text).toContain('<script>alert(1)</script>');
    expect(rendered.text.indexOf('Stored text')).toBeLessThan(rendered.text.indexOf('Earlier'));
    expect(rendered.text.startsWith('##- Please type your reply above this line -##')).toBe(true);
  });
});

const person = (id: number, role: User['role'], email: string | null, overrides: Partial<User> = {}) =>
  ({ id, name: `P${id}`, email, role, active: true, suspended: false, ...overrides }) as User;

describe('who a comment is mailed to', () => {
  const ticket = { requester_id: 1, collaborator_ids: [2, 3, 4, 5, 6], email_cc_ids: [] };
  const people = [
    person(1, 'end-user', 'cy@customer.test'),
    person(2, 'end-user', 'dee@customer.test'),
    person(3, 'end-user', null),
    person(4, 'end-user', 'support+abc@relaydesk.local'),
    person(5, 'end-user', 'gone@customer.test', { active: false }),
    person(6, 'end-user', 'CY@customer.test'),
    person(9, 'agent', 'aki@relaydesk-staff.test'),
  ];

  it('mails an agent reply to requester and CCs with an address, once each, not to our own addresses', () => {
    expect(planCommentMail(ticket, { public: true, author_id: 9 }, people)).toEqual({
      kind: 'reply',
      recipients: ['cy@customer.test', 'dee@customer.test'],
    });
  });

  it('mails an end-user comment to the others as a notification, never to its author', () => {
    expect(planCommentMail(ticket, { public: true, author_id: 2 }, people)).toEqual({
      kind: 'notification',
      recipients: ['cy@customer.test'],
    });
  });

  it('never mails an internal note', () => {
    expect(planCommentMail(ticket, { public: false, author_id: 9 }, people)).toBeUndefined();
  });
});
