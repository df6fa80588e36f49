/**
 * The three bodies of a comment. `html_body` keeps HTML, but only an allow-listed subset (js-xss), since
 * it is shown to agents and customers; `plain_body`/`body` are derived text (html-to-text). A plain
 * `body` is escaped, never interpreted as HTML. (js-xss rather than sanitize-html: the same allow-list
 * model at a twentieth of the bundle size, which keeps the ticket functions under the 1 MiB budget.)
 */
import xss from 'xss';
import { ALLOWED_ATTRIBUTES } from '../html-allow-list.ts';
import { htmlToText } from '../html-text.ts';

// js-xss is CommonJS and Node's ESM loader cannot detect its named exports (a named import throws at
// load time under `npm start`), so they come from the default export, typed as the module it is.
const { escapeHtml, FilterXSS } = xss as unknown as typeof import('xss');

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

const safeHtml = new FilterXSS({
  whiteList: {
    ...Object.fromEntries(Object.entries(ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, [...names]])),
  },
  // Unknown tags disappear (their text stays); scripts and styles go with their content.
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style'],
});

const textToHtml = (text: string): string => {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
  return `<div class="zd-comment" dir="auto">${paragraphs}</div>`;
};

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
    const html = safeHtml.process(truncate(input.html_body));
    const text = htmlToText(html);
    return { body: text, html_body: html, plain_body: text };
  }
  const text = truncate((input.body ?? '').replace(/\r\n/g, '\n').trim());
  return { body: text, html_body: textToHtml(text), plain_body: text };
};
