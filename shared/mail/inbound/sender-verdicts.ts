/**
 * What the SES receipt says about a mail. Verdicts come only from the receipt (the local SMTP listener
 * builds one too), never from the mail's own headers, which the sender controls.
 */
import type { SesReceiptNotification } from '../ses-notification.ts';

export interface SenderVerdicts {
  /** The From domain is authenticated: DMARC passed, or the domain publishes no DMARC policy (GRAY) and
   * SPF or DKIM passed. FAIL and PROCESSING_FAILED are never authenticated. */
  authenticated: boolean;
  spam: boolean;
  virus: boolean;
}

export const senderVerdicts = (receipt: SesReceiptNotification['receipt']): SenderVerdicts => {
  const dmarc = receipt.dmarcVerdict.status;
  const aligned = receipt.spfVerdict.status === 'PASS' || receipt.dkimVerdict.status === 'PASS';
  return {
    authenticated: dmarc === 'PASS' || (dmarc === 'GRAY' && aligned),
    spam: receipt.spamVerdict.status === 'FAIL',
    virus: receipt.virusVerdict.status === 'FAIL',
  };
};
