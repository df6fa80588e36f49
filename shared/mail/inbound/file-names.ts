/**
 * Attachment file names as we keep them: display text only (the storage key is ours), without path
 * parts, control or bidi-override characters (which disguise `exe.pdf` as `fdp.exe`), length-limited.
 */
const BIDI_AND_CONTROL = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
export const MAX_FILE_NAME_CHARS = 200;

export const sanitizeFileName = (raw: string | undefined | null, fallback = 'attachment'): string => {
  const withoutControls = (raw ?? '').normalize('NFC').replace(BIDI_AND_CONTROL, '');
  const base = withoutControls.split(/[\\/]/).pop() ?? '';
  const trimmed = base.trim().replace(/^\.+/, '');
  if (!trimmed) return fallback;
  if ([...trimmed].length <= MAX_FILE_NAME_CHARS) return trimmed;
  const dot = trimmed.lastIndexOf('.');
  const extension = dot > 0 && trimmed.length - dot <= 16 ? trimmed.slice(dot) : '';
  return [...trimmed].slice(0, MAX_FILE_NAME_CHARS - extension.length).join('') + extension;
};

/** An RFC 5987 `filename*` value: the stored name is text, percent-encoded so no header can break. */
export const contentDispositionFor = (fileName: string): string =>
  `attachment; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
