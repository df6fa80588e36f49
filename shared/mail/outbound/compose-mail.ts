/**
 * Builds the raw RFC 5322 message with nodemailer's composer (it encodes non-ASCII headers as RFC 2047
 * words and folds long ones). Every header value we pass has had its control characters removed first,
 * so nothing a user typed can end a header line.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { headerText } from './header-text.ts';

/**
 * `auto-generated`: a notification nobody wrote to this recipient; `auto-replied`: an automatic answer
 * to their mail (RFC 3834). A human agent's reply is neither and carries no such header.
 */
export type AutomaticKind = 'auto-generated' | 'auto-replied';

export interface MailToCompose {
  from: { name: string; address: string };
  to: readonly string[];
  replyTo: string;
  subject: string;
  messageId: string;
  inReplyTo: string | undefined;
  references: readonly string[];
  text: string;
  html: string;
  date: Date;
  automatic?: AutomaticKind | undefined;
  /** Only on mail that is not a direct reply to the recipient (RFC 2369/8058). */
  listUnsubscribe?: string | undefined;
}

const messageIdOnly = (id: string): string => headerText(id, 998).replace(/\s/g, '');

export const composeMail = async (mail: MailToCompose): Promise<Buffer> => {
  const headers: Record<string, string> = {};
  if (mail.automatic) {
    headers['Auto-Submitted'] = mail.automatic;
    // Outlook/Exchange: send no out-of-office or other automatic answer back to this mail.
    headers['X-Auto-Response-Suppress'] = 'All';
  }
  if (mail.listUnsubscribe) headers['List-Unsubscribe'] = `<${headerText(mail.listUnsubscribe, 500)}>`;
  // RFC 8058: an https link that takes a one-click POST, so mailbox providers may offer the button.
  if (mail.listUnsubscribe?.startsWith('https://')) {
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const composer = new MailComposer({
    from: { name: headerText(mail.from.name, 100), address: mail.from.address },
    to: mail.to.map((address) => headerText(address)),
    replyTo: headerText(mail.replyTo),
    subject: headerText(mail.subject, 250),
    messageId: messageIdOnly(mail.messageId),
    ...(mail.inReplyTo ? { inReplyTo: messageIdOnly(mail.inReplyTo) } : {}),
    ...(mail.references.length ? { references: mail.references.map(messageIdOnly) } : {}),
    date: mail.date,
    text: mail.text,
    html: mail.html,
    headers,
  });
  return composer.compile().build();
};
