/**
 * Renders a rule notification as mail. The subject and body arrive rendered already (rule Liquid,
 * user content substituted once, see rule-notices.ts); here they are only data: the text part is the
 * body, the HTML part the body escaped into paragraphs, never interpreted as markup.
 */
import { Liquid } from 'liquidjs';
import { commentBodies } from '../../domain/tickets/comment-body.ts';
import { REPLY_ABOVE_THIS_LINE } from '../reply-marker.ts';
import { NOTIFICATION_MAIL_HTML } from '../templates/notification-mail.ts';
import { headerText } from './header-text.ts';
import type { RenderedMail } from './render-comment-mail.ts';

const htmlEngine = new Liquid({
  strictFilters: true,
  ownPropertyOnly: true,
  cache: true,
  outputEscape: 'escape',
});
const template = htmlEngine.parse(NOTIFICATION_MAIL_HTML);

/** The notification's plain text as escaped HTML paragraphs (the same form a plain comment takes). */
export const plainTextHtml = (text: string): string => commentBodies({ body: text }).html_body;

export const renderNotificationMail = async (notification: {
  subject: string;
  body: string;
  /** The recipient's reply lands on the ticket: mark where their reply should go. */
  replyable: boolean;
}): Promise<RenderedMail> => {
  const subject = headerText(notification.subject, 250);
  const marker = notification.replyable ? REPLY_ABOVE_THIS_LINE : '';
  const html = await htmlEngine.render(template, {
    marker,
    subject,
    body_html: plainTextHtml(notification.body),
  });
  return {
    subject,
    text: marker ? `${marker}\n\n${notification.body}` : notification.body,
    html: String(html),
  };
};
