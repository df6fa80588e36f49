import { describe, expect, it } from 'vitest';
import { classifyAutomation } from '../../shared/mail/inbound/automated-mail.ts';
import { sanitizeFileName } from '../../shared/mail/inbound/file-names.ts';
import { boundRawMail } from '../../shared/mail/inbound/mail-limits.ts';
import { sanitizeInboundHtml } from '../../shared/mail/inbound/sanitize-inbound-html.ts';
import { stripQuotedReply } from '../../shared/mail/inbound/strip-quoted-reply.ts';
import { decideThread } from '../../shared/mail/inbound/thread-decision.ts';
import { REPLY_ABOVE_THIS_LINE } from '../../shared/mail/reply-marker.ts';

process.env.SUPPORT_ADDRESS = 'support@relaydesk.test';

describe('stripQuotedReply keeps only the new text', () => {
  it.each([
    ['Thanks!\n\nOn Wed, Nov 25, 2026 at 9:00 AM Support <s@x> wrote:\n> old', 'Thanks!'],
    ['Thanks!\n\nOn Wed, Nov 25, 2026 at 9:00 AM Support <s@\nx.test> wrote:\n> old', 'Thanks!'],
    ['Danke\n\nAm 25.11.2026 um 09:00 schrieb Support <s@x>:\n> alt', 'Danke'],
    ['Merci\n\nLe 25 nov. 2026, Support a écrit :\n> vieux', 'Merci'],
    ['New\n\nFrom: Support <s@x>\nSent: Wednesday\nTo: Bob\nSubject: Hi\n\nold', 'New'],
    ['New\n\n-----Original Message-----\nFrom: Support', 'New'],
    [`Yes\n\n${REPLY_ABOVE_THIS_LINE}\nold thread`, 'Yes'],
    ['Bottom text\n> quoted\n> more', 'Bottom text'],
    [
      'See below\n\n---------- Forwarded message ---------\nFrom: a@b\n\nforwarded body',
      'See below\n\n---------- Forwarded message ---------\nFrom: a@b\n\nforwarded body',
    ],
    ['> only a quote', '> only a quote'],
    ['From: the start of my sentence is not a header', 'From: the start of my sentence is not a header'],
  ])('%j → %j', (input, expected) => {
    expect(stripQuotedReply(input)).toBe(expected);
  });
});

describe('classifyAutomation', () => {
  const headers = (entries: Record<string, string>) => new Map(Object.entries(entries));
  it.each([
    [{ 'auto-submitted': 'auto-replied' }, 'a@b.test', 'auto_submitted'],
    [{ 'auto-submitted': 'no' }, 'a@b.test', undefined],
    [{ 'x-autoreply': 'yes' }, 'a@b.test', 'autoreply_header'],
    [{ 'x-autorespond': 'yes' }, 'a@b.test', 'autoreply_header'],
    [{ 'x-auto-response-suppress': 'All' }, 'a@b.test', 'autoreply_header'],
    [{ precedence: 'bulk' }, 'a@b.test', 'precedence'],
    [{ precedence: 'auto_reply' }, 'a@b.test', 'precedence'],
    [{ precedence: 'first-class' }, 'a@b.test', undefined],
    [{ 'list-id': '<l.x>' }, 'a@b.test', 'mailing_list'],
    [{ 'return-path': '<>' }, 'a@b.test', 'null_return_path'],
    [{}, 'mailer-daemon@mx.test', 'system_sender'],
    [{}, 'no-reply@shop.test', 'system_sender'],
    [{}, 'donotreply@shop.test', 'system_sender'],
    [{}, 'support+abc@relaydesk.test', 'own_address'],
    [{}, 'ann@customer.test', undefined],
  ])('%j from %s → %s', (entries, from, reason) => {
    const verdict = classifyAutomation(headers(entries), from);
    expect(verdict.automated ? verdict.reason : undefined).toBe(reason);
  });
});

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\secret.doc', 'secret.doc'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['tab\tand\nnewline.txt', 'tabandnewline.txt'],
    ['', 'attachment'],
    ['...', 'attachment'],
    [`${'a'.repeat(300)}.pdf`, `${'a'.repeat(196)}.pdf`],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });
});

describe('decideThread', () => {
  it.each([
    [
      { ownMessageTickets: [1, 2], recordedMessageTickets: [3], replyAddressTicket: 4 },
      { kind: 'existing', ticketId: 2, by: 'own_message_id' },
    ],
    [
      { ownMessageTickets: [], recordedMessageTickets: [3, 5], replyAddressTicket: 4 },
      { kind: 'existing', ticketId: 5, by: 'recorded_message_id' },
    ],
    [
      { ownMessageTickets: [], recordedMessageTickets: [], replyAddressTicket: 4 },
      { kind: 'existing', ticketId: 4, by: 'reply_address' },
    ],
    [{ ownMessageTickets: [], recordedMessageTickets: [], replyAddressTicket: undefined }, { kind: 'new' }],
  ])('%j → %j', (evidence, decision) => {
    expect(decideThread(evidence)).toEqual(decision);
  });
});

describe('sanitizeInboundHtml', () => {
  it('drops scripts, handlers, javascript:/data: URLs, frames, forms, base, meta and style', () => {
    const html = sanitizeInboundHtml(
      '<p onclick="x()">Hi</p><script>bad()</script><a href="javascript:x">a</a><img src="data:image/png;base64,AA"><iframe></iframe><form></form><base href="https://e"><meta http-equiv="refresh"><style>*{}</style>',
    );
    expect(html).toBe('<p>Hi</p><a rel="noopener noreferrer nofollow" target="_blank">a</a><img />');
  });

  it('rewrites cid: images to our attachment URLs and drops quoted history containers', () => {
    const html = sanitizeInboundHtml(
      '<p>New</p><img src="cid:a@b"><blockquote type="cite">old</blockquote>',
      new Map([['a@b', 'https://h/api/v2/attachments/1/content']]),
    );
    expect(html).toBe('<p>New</p><img src="https://h/api/v2/attachments/1/content" />');
  });
});

describe('boundRawMail', () => {
  it('passes ordinary mail through untouched', () => {
    const raw = Buffer.from('From: a@b.test\r\nSubject: x\r\n\r\nbody\r\n');
    expect(boundRawMail(raw)).toEqual({ raw, truncated: false, tooLarge: false, attachmentsDropped: false });
  });

  it('refuses mail over 40 MB without reading it', () => {
    expect(boundRawMail(Buffer.alloc(41 * 1024 * 1024)).tooLarge).toBe(true);
  });
});
