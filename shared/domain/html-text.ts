/**
 * The plain text of an HTML body (links without their targets, images skipped), for comments from the
 * API and from mail alike. Kept apart from the MIME parser so it never drags mailparser into a bundle.
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
