/**
 * The HTML a comment may keep, wherever it comes from (API `html_body` through js-xss, inbound mail
 * through sanitize-html): one allow-list, so both paths store the same subset.
 */
export const TEXT_TAGS = [
  'p',
  'div',
  'blockquote',
  'pre',
  'code',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'br',
  'b',
  'i',
  'strong',
  'em',
  'u',
  's',
  'del',
  'ins',
  'sup',
  'sub',
  'small',
  'span',
  'abbr',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
] as const;

/** Attributes each allowed tag keeps; links and images keep only what renders them. */
export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(TEXT_TAGS.map((tag) => [tag, ['dir', 'class']])),
  a: ['href', 'title', 'rel', 'target'],
  img: ['src', 'alt', 'title', 'width', 'height'],
};
