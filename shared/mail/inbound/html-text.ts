/**
 * The plain text of an HTML body (links without their targets, images skipped). Kept apart from the
 * MIME parser so code that acts on already-parsed mail can use it without bundling mailparser.
 */
import { convert } from 'html-to-text';

export const htmlToText = (html: string): string =>
  convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  }).trim();
