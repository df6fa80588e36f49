/**
 * Renders the mail for a public comment. Two Liquid engines: the HTML one escapes every output
 * (`outputEscape: 'escape'`), the text and subject one does not (escaping would put `&amp;` into plain
 * text, where markup means nothing). Templates are parsed once per cold start.
 */
import { Liquid } from 'liquidjs';
import { REPLY_ABOVE_THIS_LINE } from '../reply-marker.ts';
import { COMMENT_MAIL_HTML, COMMENT_MAIL_TEXT } from '../templates/comment-mail.ts';
import { headerText } from './header-text.ts';

export interface RenderedComment {
  author_name: string;
  created_at: string;
  /** Sanitized on the way in (allow-listed HTML); output as it is. */
  html_body: string;
  plain_body: string;
}

export interface CommentMailContent {
  ticket: { id: number; subject: string };
  comment: RenderedComment;
  /** Earlier public comments, newest first. */
  thread: readonly RenderedComment[];
  ticketUrl: string | undefined;
  /** The subject a rule's notification rendered, used as it is instead of `Re: <ticket subject>`. */
  subject?: string | undefined;
}

export interface RenderedMail {
  /** Header-safe already. */
  subject: string;
  text: string;
  html: string;
}

const options = { strictFilters: true, ownPropertyOnly: true, cache: true } as const;
const htmlEngine = new Liquid({ ...options, outputEscape: 'escape' });
const textEngine = new Liquid(options);

const templates = {
  text: textEngine.parse(COMMENT_MAIL_TEXT),
  html: htmlEngine.parse(COMMENT_MAIL_HTML),
};

export const renderCommentMail = async (content: CommentMailContent): Promise<RenderedMail> => {
  const scope = {
    marker: REPLY_ABOVE_THIS_LINE,
    ticket: { id: content.ticket.id, subject: headerText(content.ticket.subject, 250) },
    comment: content.comment,
    thread: content.thread,
    ticket_url: content.ticketUrl ?? '',
  };
  const [text, html] = await Promise.all([
    textEngine.render(templates.text, scope),
    htmlEngine.render(templates.html, scope),
  ]);
  const subject =
    content.subject === undefined ? replySubject(content.ticket.subject) : headerText(content.subject, 250);
  return { subject, text: String(text), html: String(html) };
};

/** `Re: <subject>`, once: a subject that already starts with a reply prefix keeps it as it is. */
export const replySubject = (subject: string): string => {
  const text = headerText(subject, 250);
  return /^re:/i.test(text) ? text : `Re: ${text}`;
};
