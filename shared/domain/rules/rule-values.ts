/** Parsing the loosely typed values Zendesk rules carry (ids as numbers or strings, tags as text or lists). */

export type RawValue = unknown;

/** A user/group/organization reference: an id, `""` for none, or `current_user`. */
export type Reference = number | null | 'current_user';

export const parseReference = (value: RawValue, allowCurrentUser: boolean): Reference | undefined => {
  if (value === '' || value === null) return null;
  if (allowCurrentUser && value === 'current_user') return 'current_user';
  const id = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

/** Tags as one space-separated string or a list; lower-cased like ticket tags. */
export const parseTagList = (value: RawValue): string[] | undefined => {
  const parts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!parts?.every((part) => typeof part === 'string')) return undefined;
  const tags = parts.flatMap((part: string) => part.trim().toLowerCase().split(/\s+/)).filter(Boolean);
  return tags.length ? [...new Set(tags)] : undefined;
};

export const parseBoolean = (value: RawValue): boolean | undefined => {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
};

export const parseNonNegativeNumber = (value: RawValue): number | undefined => {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim()
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(number) && number >= 0 ? number : undefined;
};

export const parseNonNegativeInteger = (value: RawValue): number | undefined => {
  const number = parseNonNegativeNumber(value);
  return number !== undefined && Number.isInteger(number) ? number : undefined;
};

/** Zendesk's via ids for the channels it names; ours map onto them in `viaIdOfChannel`. */
export const VIA_IDS: Readonly<Record<string, number>> = {
  web_form: 0,
  mail: 4,
  web_service: 5,
  rule: 8,
  closed_ticket: 27,
  chat: 29,
  twitter: 30,
  voicemail: 33,
  phone_call_inbound: 34,
  phone_call_outbound: 35,
  web_widget: 48,
  mobile_sdk: 49,
  helpcenter: 50,
  any_channel: 55,
  sms: 57,
  whatsapp: 74,
};

const KNOWN_VIA_IDS = new Set(Object.values(VIA_IDS));

export const parseViaId = (value: RawValue): number | undefined => {
  const id = parseNonNegativeInteger(value);
  return id !== undefined && KNOWN_VIA_IDS.has(id) ? id : undefined;
};

/** Our channels as Zendesk via ids; system writes (mail feedback) are API-like service writes. */
export const viaIdOfChannel = (channel: string): number => {
  switch (channel) {
    case 'web':
      return VIA_IDS.web_form as number;
    case 'email':
      return VIA_IDS.mail as number;
    case 'rule':
      return VIA_IDS.rule as number;
    default:
      return VIA_IDS.web_service as number;
  }
};

/** Loose equality of stored field values: ids may arrive as `"42"` or `42`. */
export const sameValue = (left: unknown, right: unknown): boolean => {
  if (left === right) return true;
  if (
    (left === null || left === undefined || left === '') &&
    (right === null || right === undefined || right === '')
  )
    return true;
  if (typeof left === 'number' || typeof right === 'number') return String(left) === String(right);
  if (typeof left === 'boolean' || typeof right === 'boolean') return String(left) === String(right);
  return false;
};
