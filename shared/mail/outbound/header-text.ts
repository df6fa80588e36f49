/**
 * Text bound for a mail header. Subjects and display names come from users and from RFC 2047-decoded
 * inbound mail, so a decoded CR/LF could otherwise start a header of the attacker's choosing. Control
 * characters (CR, LF, NUL and the rest of C0/C1, plus Unicode line/paragraph separators) become spaces.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** One line of header text: controls removed, whitespace collapsed, at most `maxLength` characters. */
export const headerText = (value: string, maxLength = 200): string => {
  const text = value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return [...text].slice(0, maxLength).join('').trim();
};
