/** What every step of inbound mail handling shares: the delivery, its parsed mail and the ports. */
import type { SenderVerdicts } from '../../mail/inbound/sender-verdicts.ts';
import type { BlobStore } from '../../runtime/blob-store.ts';

export interface InboundDelivery {
  /** SES's id of the received mail: the redelivery dedupe key. */
  sesMessageId: string;
  /** Where the raw mail is (the S3 key from the receipt); kept and linked from the comment. */
  rawMailKey: string;
  /** Envelope recipients the receipt lists (ours). */
  receiptRecipients: string[];
  verdicts: SenderVerdicts;
}

export interface InboundMailPorts {
  blobs: BlobStore;
  /** Signs and verifies our Message-IDs. */
  mailSecret: string;
  now: () => string;
  /** Base of attachment content URLs. */
  publicUrl: string;
}

/** Set when an agent recovers a suspended mail: it is then treated as authenticated and human. */
export interface Recovery {
  suspendedId: number;
}

/** CCs become collaborators only from authenticated mail; MAIL_CC_COLLABORATORS=false turns it off. */
export const ccCollaboratorsEnabled = (): boolean => process.env.MAIL_CC_COLLABORATORS !== 'false';
