/**
 * Acts on a parsed mail (shared/mail/inbound/inbound-mail.ts): a ticket, a comment, a bounce record or
 * a suspended mail. Runs for every received mail after parsing, and again when an agent recovers a
 * suspended one; it never needs the MIME parser or the HTML sanitizer, so the suspended-tickets
 * function bundles neither.
 *
 * Primary course: 1. require exactly one From address (identity comes from it alone); 2. suspend spam
 * and viruses; 3. record delivery reports; 4. thread it (our Message-IDs, recorded ids, reply address);
 * 5. a reply from the requester, a CC or an agent, authenticated, becomes a public comment (CCs may
 * join); anyone else's becomes an internal note marked unverified; 6. otherwise open a ticket (a
 * follow-up when the thread is closed), within the sender's hourly limit. Dedupe claims, attachment
 * records and the mail's own Message-ID commit with the ticket write.
 * Automated mail never opens a ticket or changes one's state: on a thread it is an internal note.
 * Bad mail never throws: it is suspended with its cause. Only infrastructure errors escape; on
 * recovery, a mail that still cannot become a ticket is a validation error and its record stays.
 */
import { isStaff, type User } from '../../domain/directory/user.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { htmlToText } from '../../domain/html-text.ts';
import { MAX_COMMENT_BYTES } from '../../domain/tickets/comment-body.ts';
import type { TicketWritePlan } from '../../domain/tickets/plan-ticket-write.ts';
import type { CommentMailOrigin, Via } from '../../domain/tickets/ticket.ts';
import type { Caller } from '../../http/caller.ts';
import { isOwnAddress } from '../../mail/addresses.ts';
import { isSystemAddress } from '../../mail/inbound/automated-mail.ts';
import type { InboundMail, MailAddress, StoredAttachment } from '../../mail/inbound/inbound-mail.ts';
import { MAX_CC_COLLABORATORS } from '../../mail/inbound/mail-limits.ts';
import { stripQuotedReply } from '../../mail/inbound/strip-quoted-reply.ts';
import { attachmentRecordItem } from '../../store/mail/attachment-records.ts';
import { CLAIM_LABELS, inboundMailClaims } from '../../store/mail/inbound-mail-claims.ts';
import { SENDER_RATE_LABEL, senderRateItem } from '../../store/mail/sender-rate-limits.ts';
import { suspendedMailRemoval } from '../../store/mail/suspended-mail.ts';
import { findThreadedMessages, threadedMessageItem } from '../../store/tickets/mail-threads.ts';
import { getTicket } from '../../store/tickets/tickets.ts';
import { type LabelledItem, TransactionConflict } from '../../store/transactions.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { updateTicket } from '../tickets/update-ticket.ts';
import { findOrCreateUserByEmail } from '../users/find-or-create-user.ts';
import { updateLoadedUser } from '../users/update-user.ts';
import {
  ccCollaboratorsEnabled,
  type InboundDelivery,
  type InboundMailPorts,
  type Recovery,
} from './inbound-mail-context.ts';
import { recordDeliveryReport } from './record-delivery-report.ts';
import { type SuspensionCause, type SuspensionOutcome, suspendInboundMail } from './suspend-inbound-mail.ts';
import { threadInboundMail } from './thread-inbound-mail.ts';

export type InboundOutcome =
  | { kind: 'ticket_created'; ticketId: number; commentId: number; followupSourceId: number | null }
  | { kind: 'comment_added'; ticketId: number; commentId: number; public: boolean }
  | { kind: 'suspended'; suspendedId: number; cause: SuspensionCause }
  | { kind: 'bounce_recorded'; addresses: string[]; ticketId: number | null }
  | { kind: 'duplicate' };

const NO_TEXT_BODY = '(This message has no text.)';

const emailVia = (sender: MailAddress, recipient: string | undefined, rel: string | null = null): Via => ({
  channel: 'email',
  source: { from: { address: sender.address, name: sender.name }, to: { address: recipient ?? null }, rel },
});

const callerFor = (user: User): Caller => ({ userId: user.id, role: user.role, email: user.email ?? '' });

interface PreparedComment {
  body: string;
  html_body: string | undefined;
  truncated: boolean;
}

/** The comment's bodies: replies keep only their new text; HTML only when it kept no quote we can see. */
const prepareComment = (mail: InboundMail, isReply: boolean): PreparedComment | undefined => {
  const text = isReply ? stripQuotedReply(mail.text) : mail.text;
  let html: string | undefined;
  if (mail.html) {
    const safe = isReply ? mail.html.reply : mail.html.whole;
    const htmlText = htmlToText(safe);
    const quotesLeft = isReply && stripQuotedReply(htmlText).length < htmlText.length;
    if (!quotesLeft && (htmlText || safe.includes('<img'))) html = safe;
  }
  const body = text || (html ? '' : mail.attachments.length ? NO_TEXT_BODY : '');
  if (!body && !html)
    return mail.subject ? { body: NO_TEXT_BODY, html_body: undefined, truncated: false } : undefined;
  return {
    body: body || NO_TEXT_BODY,
    // An HTML body whose text is empty (only an image) still needs text for the comment.
    html_body: html && htmlToText(html) ? html : undefined,
    truncated: Buffer.byteLength(text) > MAX_COMMENT_BYTES,
  };
};

const attachmentItems = (plan: TicketWritePlan, attachments: readonly StoredAttachment[]): LabelledItem[] =>
  plan.comment
    ? attachments.map(({ attachment, blobKey }) =>
        attachmentRecordItem({
          attachment,
          blob_key: blobKey,
          ticket_id: plan.ticket.id,
          comment_id: plan.comment?.id ?? 0,
          comment_public: plan.comment?.public ?? false,
        }),
      )
    : [];

class RateLimited extends Error {}
class Duplicate extends Error {}

/** Maps the claims' and the rate limit's failed conditions to what they mean. */
const interpretConflict = (error: unknown): never => {
  if (error instanceof TransactionConflict) {
    if (error.labels.some((label) => (CLAIM_LABELS as readonly string[]).includes(label)))
      throw new Duplicate();
    if (error.labels.includes(SENDER_RATE_LABEL)) throw new RateLimited();
    if (error.labels.includes('suspended_ticket_gone')) throw new NotFoundError();
  }
  throw error;
};

export interface InboundMailToActOn {
  delivery: InboundDelivery;
  mail: InboundMail;
  ports: InboundMailPorts;
  /** Same Message-ID, sender and content: the same mail through another of our addresses. */
  contentFingerprint?: string | undefined;
  /** Set when an agent recovers a suspended mail: it is then treated as authenticated and human. */
  recovery?: Recovery | undefined;
}

export const actOnInboundMail = async (input: InboundMailToActOn): Promise<InboundOutcome> => {
  const { delivery, mail, ports, recovery } = input;
  const now = ports.now();
  const fingerprint = recovery ? undefined : input.contentFingerprint;
  const suspend = (
    cause: SuspensionCause,
    extra: { ticketId?: number; contentFingerprint?: string | undefined } = {},
  ): Promise<SuspensionOutcome> =>
    suspendInboundMail(delivery, { cause, mail, ...extra }, { blobs: ports.blobs, now }, recovery);
  const suspendClaimingContent = (cause: SuspensionCause, ticketId?: number) =>
    suspend(cause, { contentFingerprint: fingerprint, ...(ticketId === undefined ? {} : { ticketId }) });

  const [sender] = mail.from;
  if (mail.fromHeaderCount > 1 || mail.from.length > 1) return suspend('multiple_senders');
  if (!sender || mail.fromHeaderCount === 0) return suspend('no_sender');
  if (!recovery && delivery.verdicts.virus) return suspend('virus');
  if (!recovery && delivery.verdicts.spam) return suspend('spam');

  const claims = (outcome: string): LabelledItem[] =>
    recovery
      ? [suspendedMailRemoval(recovery.suspendedId)]
      : inboundMailClaims({
          sesMessageId: delivery.sesMessageId,
          contentFingerprint: fingerprint,
          outcome,
          now,
        });

  if (mail.deliveryReport) {
    return recordDeliveryReport({
      report: mail.deliveryReport,
      mail,
      delivery,
      ports,
      now,
      claims: claims('bounce'),
    });
  }

  const automation = recovery ? { automated: false as const } : mail.automation;
  const decision = await threadInboundMail({
    threadIds: mail.threadIds,
    recipients: [
      ...delivery.receiptRecipients,
      ...mail.to.map((to) => to.address),
      ...mail.cc.map((cc) => cc.address),
    ],
    secret: ports.mailSecret,
  });
  const threaded = decision.kind === 'existing' ? await getTicket(decision.ticketId) : undefined;
  const liveTicket = threaded && threaded.deleted_at === null ? threaded : undefined;

  if (automation.automated && (!liveTicket || liveTicket.status === 'closed')) {
    return suspendClaimingContent(
      automation.reason === 'own_address' ? 'mail_loop' : 'automated_response',
      liveTicket?.id,
    );
  }
  if (isOwnAddress(sender.address) || (!automation.automated && isSystemAddress(sender.address))) {
    return suspendClaimingContent('system_sender');
  }

  const user = await findOrCreateUserByEmail({ email: sender.address, name: sender.name }, now).catch(
    (error) => {
      if (error instanceof ValidationError) return undefined;
      throw error;
    },
  );
  if (!user) return suspendClaimingContent('no_sender');
  if (!user.active || user.suspended) return suspendClaimingContent('sender_suspended');

  const authenticated = Boolean(recovery) || delivery.verdicts.authenticated;
  // Authenticated mail from a person proves they hold the address, as Zendesk treats mail
  // requesters: rule mail may then echo their ticket back to them (see rule-notices.ts).
  if (authenticated && !automation.automated && !user.verified && user.role === 'end-user')
    await updateLoadedUser(user, { verified: true }, now);
  const recipient = delivery.receiptRecipients[0];
  const prepared = prepareComment(mail, Boolean(threaded));
  if (!prepared) return suspendClaimingContent('blank');
  const attachments = mail.attachments.map(({ attachment }) => attachment);
  const origin = (unverified: boolean): CommentMailOrigin => ({
    raw_mail_key: delivery.rawMailKey,
    message_id: mail.messageId ?? null,
    unverified_sender: unverified,
    truncated: mail.truncated || prepared.truncated,
    ...(automation.automated ? { automated: true as const } : {}),
  });
  const ccCandidates = (): string[] =>
    authenticated && ccCollaboratorsEnabled()
      ? [...new Set([...mail.to, ...mail.cc].map((address) => address.address))]
          .filter(
            (address) => address !== sender.address && !isOwnAddress(address) && !isSystemAddress(address),
          )
          .slice(0, MAX_CC_COLLABORATORS)
      : [];
  // The mail's own id joins the ticket's thread in the same write, unless another ticket holds it
  // already (then it stays there). A concurrent binding cancels the write; the retry finds it bound.
  const unboundMessageId =
    mail.messageId && (await findThreadedMessages([mail.messageId])).length === 0
      ? mail.messageId
      : undefined;
  const inboundIdItems = (ticketId: number): LabelledItem[] =>
    unboundMessageId
      ? [threadedMessageItem({ messageId: unboundMessageId, ticketId, recipients: [], direction: 'inbound' })]
      : [];

  try {
    if (liveTicket && liveTicket.status !== 'closed') {
      const onTicket =
        user.id === liveTicket.requester_id || liveTicket.collaborator_ids.includes(user.id) || isStaff(user);
      const verified = authenticated && onTicket;
      const visible = verified && !automation.automated;
      const additional = visible ? ccCandidates() : [];
      const result = await updateTicket({
        caller: callerFor(user),
        ticketId: liveTicket.id,
        via: emailVia(sender, recipient),
        now: ports.now,
        fields: {},
        ...(additional.length ? { additionalCollaborators: additional } : {}),
        comment: {
          body: prepared.body,
          html_body: prepared.html_body,
          public: visible,
          author_id: user.id,
          attachments,
          mail: origin(!verified),
        },
        alsoWrite: (plan) => [
          ...claims(`comment:${plan.ticket.id}`),
          ...attachmentItems(plan, mail.attachments),
          ...inboundIdItems(plan.ticket.id),
        ],
      });
      const commentId = 'audit' in result && result.audit ? (result.audit.events[0]?.id ?? 0) : 0;
      return { kind: 'comment_added', ticketId: liveTicket.id, commentId, public: visible };
    }

    const followupSource = liveTicket?.status === 'closed' ? liveTicket.id : undefined;
    const collaborators = ccCandidates();
    const plan = await createTicket({
      caller: callerFor(user),
      via: emailVia(sender, recipient, followupSource === undefined ? null : 'follow_up'),
      now,
      fields: { subject: mail.subject || null },
      ...(collaborators.length ? { collaborators } : {}),
      comment: {
        body: prepared.body,
        html_body: prepared.html_body,
        public: true,
        author_id: user.id,
        attachments,
        mail: origin(!authenticated),
      },
      followupSourceId: followupSource,
      alsoWrite: (created) => [
        ...claims(`ticket:${created.ticket.id}`),
        ...(recovery ? [] : [senderRateItem(sender.address, now)]),
        ...attachmentItems(created, mail.attachments),
        ...inboundIdItems(created.ticket.id),
      ],
    });
    return {
      kind: 'ticket_created',
      ticketId: plan.ticket.id,
      commentId: plan.comment?.id ?? 0,
      followupSourceId: followupSource ?? null,
    };
  } catch (error) {
    try {
      interpretConflict(error);
    } catch (meaning) {
      if (meaning instanceof Duplicate) return { kind: 'duplicate' };
      if (meaning instanceof RateLimited) return suspendClaimingContent('rate_limited');
      if (meaning instanceof ValidationError && recovery) throw meaning;
      // The ticket refused the write (e.g. closed in between): kept for an agent rather than lost.
      if (meaning instanceof ValidationError) return suspendClaimingContent('rejected');
      throw meaning;
    }
    throw error;
  }
};
