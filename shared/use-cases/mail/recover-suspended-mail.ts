/**
 * An agent recovers a suspended mail (Zendesk's `PUT /suspended_tickets/{id}/recover`): the agent vouches
 * for it, so its parsed form is acted on again as authenticated, human mail, and the suspended record is
 * removed in the same write as the ticket or comment it becomes. Mail suspended before it could be parsed
 * has no parsed form and cannot be recovered; its raw mail stays available to staff.
 */
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { getSuspendedMail } from '../../store/mail/suspended-mail.ts';
import { actOnInboundMail } from './act-on-inbound-mail.ts';
import type { InboundMailPorts } from './inbound-mail-context.ts';
import { parsedMailOf } from './suspended-mail-content.ts';

/** The ticket the mail became or was added to; undefined when it became neither (a delivery report). */
export const recoverSuspendedMail = async (
  suspendedId: number,
  ports: InboundMailPorts,
): Promise<number | undefined> => {
  const record = await getSuspendedMail(suspendedId);
  if (!record) throw new NotFoundError();
  const mail = await parsedMailOf(record, ports.blobs);
  if (!mail) {
    throw ValidationError.field(
      'suspended_ticket',
      `Cannot recover: ${record.cause}. The mail was never read, so there is nothing to make a ticket from; the original mail is kept for review.`,
    );
  }
  const outcome = await actOnInboundMail({
    delivery: {
      sesMessageId: record.ses_message_id,
      rawMailKey: record.raw_mail_key,
      receiptRecipients: record.receipt_recipients,
      verdicts: { authenticated: true, spam: false, virus: false },
    },
    mail,
    ports,
    recovery: { suspendedId },
  });
  return outcome.kind === 'ticket_created' || outcome.kind === 'comment_added' ? outcome.ticketId : undefined;
};
