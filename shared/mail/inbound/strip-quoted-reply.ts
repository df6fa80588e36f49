/**
 * Keeps the new text of a reply: everything above our "reply above this line" marker, an attribution
 * line ("On … wrote:" in the languages mail clients commonly use), Outlook's "From: … Sent: …" header
 * block or "Original Message" separator, and trailing `>` quotes. The raw mail keeps the rest.
 */
import { REPLY_ABOVE_THIS_LINE } from '../reply-marker.ts';

const ATTRIBUTION = [
  /^on\b.{0,300}\bwrote:\s*$/i,
  /^le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^am\b.{0,300}\bschrieb\b.{0,200}:\s*$/i,
  /^el\b.{0,300}\bescribió:\s*$/i,
  /^op\b.{0,300}\bschreef\b.{0,200}:\s*$/i,
  /^.{0,300}\d{4}.{0,100}(?:<[^>]+>)?\s*(?:wrote|написал\(а\)|a écrit|schrieb|escribió):\s*$/i,
];
const OUTLOOK_SEPARATOR =
  /^\s*(?:-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine)\s*-{2,}|_{10,})\s*$/i;
const OUTLOOK_FROM = /^\s*\*?(?:from|von|de)\s*:\*?\s+\S/i;
const OUTLOOK_SENT = /^\s*\*?(?:sent|date|gesendet|envoyé)\s*:\*?\s+\S/i;
const FORWARDED = /^\s*-{2,}\s*forwarded message\s*-{2,}\s*$/i;

/** The index of the first line that starts the quoted history, or undefined. */
const quoteStart = (lines: readonly string[]): number | undefined => {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    // A forwarded mail is new content for us: the forwarded part is what the customer wants us to read.
    if (FORWARDED.test(line)) return undefined;
    if (line.includes(REPLY_ABOVE_THIS_LINE)) return index;
    if (ATTRIBUTION.some((pattern) => pattern.test(line.trim()))) return index;
    // Gmail wraps long attributions: "On Tue, … at 10:00 Ann <ann@" / "example.com> wrote:".
    const joined = `${line.trim()} ${(lines[index + 1] ?? '').trim()}`;
    if (/^on\b/i.test(line.trim()) && /\bwrote:\s*$/i.test(joined) && joined.length < 400) return index;
    if (OUTLOOK_SEPARATOR.test(line)) return index;
    if (
      OUTLOOK_FROM.test(line) &&
      lines.slice(index + 1, index + 4).some((next) => OUTLOOK_SENT.test(next))
    ) {
      return index;
    }
  }
  return undefined;
};

export const stripQuotedReply = (text: string): string => {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = quoteStart(lines);
  let kept = start === undefined ? lines : lines.slice(0, start);
  // Trailing `>` quotes (bottom-quoting clients put them after the text, top-posters after the reply).
  let end = kept.length;
  while (end > 0 && /^\s*(?:>.*)?$/.test(kept[end - 1] ?? '')) end--;
  kept = kept.slice(0, end);
  const result = kept.join('\n').trim();
  // A mail that is nothing but a quote (or starts with the marker) keeps its text rather than vanish.
  return result || text.trim();
};
