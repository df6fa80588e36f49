/**
 * Delivery status notifications (RFC 3464: multipart/report; report-type=delivery-status): which
 * recipients failed permanently, and which of our mails bounced (its Message-ID, from the returned
 * headers), so the address stops receiving mail and the ticket gets a note.
 */
import { normalizeAddress } from '../addresses.ts';
import { messageIdsIn } from '../message-ids.ts';

export interface DeliveryReport {
  /** Recipients whose Action is `failed` (permanent, 5.x.x). */
  failedRecipients: string[];
  /** Message-IDs of the bounced mail (its own id and its References). */
  originalMessageIds: string[];
  /** Human-readable status, e.g. `5.1.1 (smtp; 550 no such user)`. */
  summary: string;
}

export const isDeliveryReportType = (contentType: string | undefined): boolean =>
  Boolean(
    contentType &&
      /multipart\/report/i.test(contentType) &&
      /report-type\s*=\s*"?delivery-status/i.test(contentType),
  );

const fieldValue = (block: string, name: string): string | undefined =>
  new RegExp(`^${name}\\s*:\\s*(.+)$`, 'im').exec(block)?.[1]?.trim();

export const readDeliveryReport = (deliveryStatus: string, returnedHeaders: string): DeliveryReport => {
  const failed = new Set<string>();
  const summaries: string[] = [];
  // Per-recipient groups are separated by blank lines; the first group describes the report itself.
  for (const block of deliveryStatus.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const action = fieldValue(block, 'action')?.toLowerCase();
    const status = fieldValue(block, 'status') ?? '';
    if (action !== 'failed' && !status.startsWith('5')) continue;
    const recipient = fieldValue(block, 'final-recipient') ?? fieldValue(block, 'original-recipient');
    const address = normalizeAddress(recipient?.replace(/^rfc822\s*;\s*/i, '').replace(/^<|>$/g, ''));
    if (!address) continue;
    failed.add(address);
    summaries.push(`${address}: ${status} ${fieldValue(block, 'diagnostic-code') ?? ''}`.trim());
  }
  const headers = returnedHeaders.replace(/\r\n?/g, '\n').split(/\n\n/)[0] ?? '';
  const unfolded = headers.replace(/\n[ \t]+/g, ' ');
  const ids = [
    ...messageIdsIn(fieldValue(unfolded, 'message-id')),
    ...messageIdsIn(fieldValue(unfolded, 'in-reply-to')),
    ...messageIdsIn(fieldValue(unfolded, 'references')),
  ];
  return {
    failedRecipients: [...failed],
    originalMessageIds: [...new Set(ids)],
    summary: summaries.join('\n').slice(0, 2000),
  };
};
