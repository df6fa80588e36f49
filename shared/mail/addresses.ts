/**
 * Mail addresses as Relaydesk compares them: the bare addr-spec, lower-cased, never a display name.
 * The support address and each ticket's reply address (`support+<token>@domain`, the token random
 * and unguessable, never the ticket number) come from here.
 */

/** The configured support address (RELAYDESK_SUPPORT_ADDRESS locally, CDK context in AWS). */
export const supportAddress = (): string =>
  (process.env.SUPPORT_ADDRESS ?? 'support@relaydesk.local').toLowerCase();

const ADDR_SPEC = /^[^\s@<>(),;:"[\]\\]+@[a-z0-9.-]+\.[a-z0-9-]+$|^[^\s@<>(),;:"[\]\\]+@[a-z0-9-]+$/;

/** A bare, lower-cased addr-spec, or undefined for anything that is not exactly one plain address. */
export const normalizeAddress = (raw: string | undefined | null): string | undefined => {
  if (!raw || /[\r\n\0]/.test(raw)) return undefined;
  const address = raw.trim().toLowerCase();
  return ADDR_SPEC.test(address) ? address : undefined;
};

const splitAddress = (address: string): { local: string; domain: string } => {
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
};

export const replyAddressFor = (replyToken: string, support = supportAddress()): string => {
  const { local, domain } = splitAddress(support);
  return `${local}+${replyToken}@${domain}`;
};

/** The reply token carried by a `support+<token>@domain` recipient, if the address is one of ours. */
export const replyTokenFrom = (recipient: string, support = supportAddress()): string | undefined => {
  const address = normalizeAddress(recipient);
  if (!address) return undefined;
  const ours = splitAddress(support);
  const { local, domain } = splitAddress(address);
  if (domain !== ours.domain || !local.startsWith(`${ours.local}+`)) return undefined;
  const token = local.slice(ours.local.length + 1);
  return /^[a-z0-9_-]{22,}$/.test(token) ? token : undefined;
};

/** Our own addresses never become requesters and never receive automatic mail. */
export const isOwnAddress = (address: string, support = supportAddress()): boolean => {
  const { local, domain } = splitAddress(address);
  const ours = splitAddress(support);
  return domain === ours.domain && (local === ours.local || local.startsWith(`${ours.local}+`));
};
