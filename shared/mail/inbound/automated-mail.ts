/**
 * Whether a mail was sent by a machine (RFC 3834 and the headers vendors use instead). Automated mail
 * never opens a ticket, never changes a ticket's state and never gets an automatic answer.
 */
import { isOwnAddress } from '../addresses.ts';

export type AutomationVerdict = { automated: false } | { automated: true; reason: AutomationReason };

export type AutomationReason =
  | 'auto_submitted'
  | 'autoreply_header'
  | 'precedence'
  | 'mailing_list'
  | 'null_return_path'
  | 'system_sender'
  | 'own_address';

const SYSTEM_LOCAL_PART =
  /^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?|notifications?-?noreply)(?:[+._-].*)?$/;

/** A sender that is a machine by its address: never a requester. */
export const isSystemAddress = (address: string): boolean =>
  SYSTEM_LOCAL_PART.test(address.slice(0, address.lastIndexOf('@'))) || isOwnAddress(address);

/** `headers` are lower-cased names to their raw values (first occurrence), as the parser gives them. */
export const classifyAutomation = (
  headers: ReadonlyMap<string, string>,
  fromAddress: string | undefined,
): AutomationVerdict => {
  if (fromAddress && isOwnAddress(fromAddress)) return { automated: true, reason: 'own_address' };
  const autoSubmitted = headers.get('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && !/^no\b/.test(autoSubmitted)) return { automated: true, reason: 'auto_submitted' };
  if (['x-autoreply', 'x-autorespond', 'x-auto-response-suppress'].some((name) => headers.has(name))) {
    return { automated: true, reason: 'autoreply_header' };
  }
  const precedence = headers.get('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) {
    return { automated: true, reason: 'precedence' };
  }
  if (headers.has('list-id')) return { automated: true, reason: 'mailing_list' };
  const returnPath = headers.get('return-path');
  if (returnPath !== undefined && /^\s*<\s*>\s*$|^\s*$/.test(returnPath)) {
    return { automated: true, reason: 'null_return_path' };
  }
  if (fromAddress && isSystemAddress(fromAddress)) return { automated: true, reason: 'system_sender' };
  return { automated: false };
};
