/**
 * The HTML of inbound mail, reduced to what a comment may show: the same tag allow-list as comment
 * bodies (shared/domain/html-allow-list.ts), links only to http(s)/mailto, images only from http(s)
 * (inline `cid:` images are rewritten to our attachment URLs first). Quoted history containers that
 * mail clients mark (Gmail, Apple Mail, Thunderbird, Outlook, Yahoo) are dropped, and the text is cut
 * at our reply marker. sanitize-html lives only in the inbound function's bundle.
 */
import sanitizeHtml from 'sanitize-html';
import { ALLOWED_ATTRIBUTES } from '../../domain/html-allow-list.ts';
import { REPLY_ABOVE_THIS_LINE } from '../reply-marker.ts';

const isQuoteContainer = (frame: sanitizeHtml.IFrame): boolean => {
  const { tag, attribs } = frame;
  const classes = ` ${attribs.class ?? ''} `;
  return (
    (tag === 'blockquote' && (attribs.type ?? '').toLowerCase() === 'cite') ||
    / (?:gmail_quote|gmail_attr|moz-cite-prefix|yahoo_quoted|protonmail_quote) /.test(classes) ||
    ['divrplyfwdmsg', 'appendonsend', 'mail-editor-reference-message-container'].includes(
      (attribs.id ?? '').toLowerCase(),
    )
  );
};

const options = (keepQuotes: boolean): sanitizeHtml.IOptions => ({
  allowedTags: Object.keys(ALLOWED_ATTRIBUTES),
  allowedAttributes: {
    ...Object.fromEntries(Object.entries(ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, [...names]])),
    // The quote filter below sees only allowed attributes; comment-body.ts drops these two on storage.
    blockquote: ['dir', 'class', 'type'],
    div: ['dir', 'class', 'id'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  // Script, style, title and the like go with their content; other unknown tags keep their text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template'],
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
  },
  ...(keepQuotes ? {} : { exclusiveFilter: isQuoteContainer }),
});

/** `cidUrls` maps a Content-ID (without angle brackets) to the URL its stored attachment has. */
export const sanitizeInboundHtml = (
  html: string,
  cidUrls: ReadonlyMap<string, string> = new Map(),
  { keepQuotes = false } = {},
): string => {
  const marker = html.indexOf(REPLY_ABOVE_THIS_LINE);
  let above = marker === -1 ? html : html.slice(0, marker);
  if (!keepQuotes) {
    // Outlook puts the quoted history after its reply header as siblings, not inside it: cut there.
    const outlook = above.search(/\bid\s*=\s*["']?(?:divRplyFwdMsg|appendonsend)\b/i);
    if (outlook !== -1) above = above.slice(0, Math.max(0, above.lastIndexOf('<', outlook)));
  }
  const withImages = above.replace(/(["'])cid:([^"'\s>]{1,500})\1/gi, (match, quote: string, cid: string) => {
    const url = cidUrls.get(cid.replace(/^<|>$/g, ''));
    return url ? `${quote}${url}${quote}` : match;
  });
  return sanitizeHtml(withImages, options(keepQuotes)).trim();
};
