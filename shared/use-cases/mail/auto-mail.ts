/**
 * The gate every automatic mail (notifications now, triggers and surveys later) passes per recipient.
 * A partner system that acknowledges everything without RFC 3834 headers would otherwise trade mail
 * with us forever; the per-address cap ends such an exchange within one window.
 */
import { isOwnAddress, normalizeAddress } from '../../mail/addresses.ts';
import { countAutoMail } from '../../store/mail/auto-mail-caps.ts';
import { undeliverableAmong } from './mail-suppression.ts';

const WINDOW_SECONDS = 3600;

/** AUTO_MAIL_LIMIT_PER_HOUR, default 10. */
export const autoMailLimitPerHour = (): number => {
  const configured = Number(process.env.AUTO_MAIL_LIMIT_PER_HOUR);
  return Number.isInteger(configured) && configured > 0 ? configured : 10;
};

/**
 * Whether one more automatic mail may go to `address` now; a yes counts against the cap. Pass the
 * recipient as the mail would be addressed: an empty or null return path (`<>`, a bounce) never gets
 * automatic mail, nor do our own addresses or undeliverable ones.
 */
export const mayAutoMail = async (address: string | null | undefined, now: string): Promise<boolean> => {
  const recipient = normalizeAddress(address);
  if (!recipient || isOwnAddress(recipient)) return false;
  if ((await undeliverableAmong([recipient])).size > 0) return false;
  return (await countAutoMail(recipient, Date.parse(now), WINDOW_SECONDS)) <= autoMailLimitPerHour();
};
