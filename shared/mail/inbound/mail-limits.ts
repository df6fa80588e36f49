/**
 * What the inbound function reads of a mail, decided before the MIME parser runs: a cheap byte scan
 * bounds the input so a hostile message (tens of MB, 100,000 parts, 100-deep nesting, a 1 MB header
 * line) ends in a comment marked truncated or a suspension, within the function's time and memory.
 */

/** SES accepts up to 40 MB; above this nothing is parsed at all. */
export const MAX_RAW_BYTES = 40 * 1024 * 1024;
/** Larger mail keeps only its first bytes for text (attachments are dropped; the raw mail stays). */
export const MAX_PARSED_BYTES = 25 * 1024 * 1024;
export const OVERSIZE_READ_BYTES = 1024 * 1024;
/** MIME boundary delimiter lines read; Zendesk-scale mail has a few dozen. */
export const MAX_MIME_PARTS = 500;
/** multipart declarations read, which bounds nesting depth too. */
export const MAX_MULTIPARTS = 32;
/** A top-level header longer than this (unfolded) is dropped. */
export const MAX_HEADER_BYTES = 16 * 1024;
export const MAX_ATTACHMENTS = 50;
/** CCs that may become collaborators from one mail (Zendesk allows 48 CCs on a ticket). */
export const MAX_CC_COLLABORATORS = 48;
/** In-Reply-To/References ids looked up, newest last as clients write them. */
export const MAX_THREAD_IDS = 50;
/** Recipients checked for a reply-address token. */
export const MAX_RECIPIENTS_CHECKED = 100;
export const MAX_SUBJECT_CHARS = 1000;

export interface BoundedMail {
  /** The bytes handed to the parser. */
  raw: Buffer;
  truncated: boolean;
  /** Too large to parse even partly: suspend without reading. */
  tooLarge: boolean;
  /** Over MAX_PARSED_BYTES: only the start was kept, so attachments cannot be trusted to be whole. */
  attachmentsDropped: boolean;
}

const LF = 0x0a;

/** Offset just after the top-level header block (the first empty line), or the length when none. */
const headerEnd = (raw: Buffer): number => {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf === -1 ? -1 : crlf + 4, lf === -1 ? -1 : lf + 2].filter((end) => end >= 0);
  return ends.length ? Math.min(...ends) : raw.length;
};

/** Drops top-level header fields longer than MAX_HEADER_BYTES (folded lines included). */
const dropOverlongHeaders = (raw: Buffer): { raw: Buffer; dropped: boolean } => {
  const end = headerEnd(raw);
  if (end <= MAX_HEADER_BYTES) return { raw, dropped: false };
  const kept: Buffer[] = [];
  let dropped = false;
  let fieldStart = 0;
  let position = 0;
  while (position < end) {
    const next = raw.indexOf(LF, position);
    const lineEnd = next === -1 || next >= end ? end : next + 1;
    const following = raw[lineEnd];
    const continues = lineEnd < end && (following === 0x20 || following === 0x09);
    if (!continues) {
      if (lineEnd - fieldStart > MAX_HEADER_BYTES) dropped = true;
      else kept.push(raw.subarray(fieldStart, lineEnd));
      fieldStart = lineEnd;
    }
    position = lineEnd;
  }
  return dropped ? { raw: Buffer.concat([...kept, raw.subarray(end)]), dropped } : { raw, dropped };
};

/** Where the body must be cut so at most MAX_MIME_PARTS delimiters and MAX_MULTIPARTS multiparts are read. */
const partLimitCut = (raw: Buffer): number | undefined => {
  let delimiters = 0;
  let multiparts = 0;
  let position = 0;
  while (position < raw.length) {
    const next = raw.indexOf(LF, position);
    const lineEnd = next === -1 ? raw.length : next + 1;
    if (raw[position] === 0x2d && raw[position + 1] === 0x2d) {
      delimiters++;
      if (delimiters > MAX_MIME_PARTS) return position;
    }
    const line = raw.subarray(position, Math.min(lineEnd, position + 200)).toString('latin1');
    if (/^content-type:\s*multipart\//i.test(line)) {
      multiparts++;
      if (multiparts > MAX_MULTIPARTS) return position;
    }
    position = lineEnd;
  }
  return undefined;
};

export const boundRawMail = (input: Buffer): BoundedMail => {
  if (input.length > MAX_RAW_BYTES) {
    return { raw: Buffer.alloc(0), truncated: true, tooLarge: true, attachmentsDropped: true };
  }
  const attachmentsDropped = input.length > MAX_PARSED_BYTES;
  const start = attachmentsDropped ? input.subarray(0, OVERSIZE_READ_BYTES) : input;
  const headers = dropOverlongHeaders(start);
  const cut = partLimitCut(headers.raw);
  return {
    raw: cut === undefined ? headers.raw : headers.raw.subarray(0, cut),
    truncated: attachmentsDropped || headers.dropped || cut !== undefined,
    tooLarge: false,
    attachmentsDropped,
  };
};
