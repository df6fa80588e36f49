/**
 * Undeliverable addresses. Primary course: 1. put the address on the suppression list (what every
 * outbound send checks); 2. mark the user who owns it, so agents see it on the user. The list comes
 * first: if step 2 fails the message is retried, and a half-done mark still stops the mail.
 */
import type { User } from '../../domain/directory/user.ts';
import { UpdateConflictError } from '../../domain/errors.ts';
import { normalizeAddress } from '../../mail/addresses.ts';
import { findUserByEmail, replaceUser } from '../../store/directory/users.ts';
import { suppressAddress, suppressedAmong } from '../../store/mail/mail-suppressions.ts';

const ATTEMPTS = 3;

export const markAddressUndeliverable = async (
  address: string,
  reason: string,
  now: string,
): Promise<void> => {
  const normalized = normalizeAddress(address);
  if (!normalized) return;
  await suppressAddress({ address: normalized, reason, suppressed_at: now });
  for (let attempt = 1; ; attempt++) {
    const user = await findUserByEmail(normalized);
    if (!user || user.email_undeliverable?.address === normalized) return;
    const next: User = {
      ...user,
      email_undeliverable: { address: normalized, reason, at: now },
      updated_at: now,
    };
    try {
      await replaceUser(user, next);
      return;
    } catch (error) {
      if (!(error instanceof UpdateConflictError) || attempt === ATTEMPTS) throw error;
    }
  }
};

/** The addresses among `addresses` that must receive no mail from us. */
export const undeliverableAmong = (addresses: readonly string[]): Promise<Set<string>> =>
  suppressedAmong(addresses);
