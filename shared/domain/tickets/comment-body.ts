/**
 * The three bodies of a comment. `html_body` keeps HTML, but only a safe subset (sanitize-html), since
 * it is shown to agents and customers; `plain_body`/`body` are derived text (html-to-text). A plain
 * `body` is escaped, never interpreted as HTML.
 */
import { convert } from 'html-to-text';
import sanitizeHtml from 'sanitize-html';

/** Zendesk truncates comment bodies at 64 KB. */
export const MAX_COMMENT_BYTES = 64 * 1024;

const truncate = (text: string): string => {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= MAX_COMMENT_BYTES
    ? text
    : bytes
        .subarray(0, MAX_COMMENT_BYTES)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
};

const SAFE_HTML: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'span', 'del', 'ins', 'sup', 'sub'],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    '*': ['dir', 'class'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'cid'],
};

const escapeText = (text: string): string =>
  sanitizeHtml(text, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: 'recursiveEscape' });

const textToHtml = (text: string): string => {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeText(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
  return `<div class="zd-comment" dir="auto">${paragraphs}</div>`;
};

export const htmlToPlainText = (html: string): string =>
  convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  }).trim();

export interface CommentBodies {
  body: string;
  html_body: string;
  plain_body: string;
}

export const commentBodies = (input: {
  body?: string | undefined;
  html_body?: string | undefined;
}): CommentBodies => {
  if (input.html_body !== undefined && input.html_body.trim() !== '') {
    const html = sanitizeHtml(truncate(input.html_body), SAFE_HTML);
    const text = htmlToPlainText(html);
    return { body: text, html_body: html, plain_body: text };
  }
  const text = truncate((input.body ?? '').replace(/\r\n/g, '\n').trim());
  return { body: text, html_body: textToHtml(text), plain_body: text };
};
