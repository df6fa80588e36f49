/**
 * Turns one received mail into a ticket, a comment, a bounce record or a suspended mail.
 *
 * Primary course: 1. skip a delivery already handled; 2. bound and parse the mail; 3. require exactly
 * one From address (identity comes from it alone); 4. suspend spam and viruses; 5. record delivery
 * reports; 6. thread it (our Message-IDs, recorded ids, reply address); 7. a reply from the requester,
 * a CC or an agent, authenticated, becomes a public comment (CCs may join); anyone else's becomes an
 * internal note marked unverified; 8. otherwise open a ticket (a follow-up when the thread is closed),
 * within the sender's hourly limit. Dedupe claims and attachment records commit with the ticket write.
 * Automated mail never opens a ticket or changes one's state: on a thread it is an internal note.
 * Bad mail never throws: it is suspended with its cause. Only infrastructure errors escape.
 */
import { createHash } from 'node:crypto';
import { isStaff, type User } from '../../domain/directory/user.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { MAX_COMMENT_BYTES } from '../../domain/tickets/comment-body.ts';
import type { TicketWritePlan } from '../../domain/tickets/plan-ticket-write.ts';
import type { CommentMailOrigin, Via } from '../../domain/tickets/ticket.ts';
import type { Caller } from '../../http/caller.ts';
import { isOwnAddress } from '../../mail/addresses.ts';
import { classifyAutomation, isSystemAddress } from '../../mail/inbound/automated-mail.ts';
import { boundRawMail, MAX_CC_COLLABORATORS } from '../../mail/inbound/mail-limits.ts';
import {
  htmlToText,
  type MailAddress,
  type ParsedInboundMail,
  parseMail,
} from '../../mail/inbound/parse-mail.ts';
import { sanitizeInboundHtml } from '../../mail/inbound/sanitize-inbound-html.ts';
import { stripQuotedReply } from '../../mail/inbound/strip-quoted-reply.ts';
import { attachmentRecordItem } from '../../store/mail/attachment-records.ts';
import { CLAIM_LABELS, inboundMailClaims, isDeliverySeen } from '../../store/mail/inbound-mail-claims.ts';
import { SENDER_RATE_LABEL, senderRateItem } from '../../store/mail/sender-rate-limits.ts';
import { suspendedMailRemoval } from '../../store/mail/suspended-mail.ts';
import { recordThreadedMessage } from '../../store/tickets/mail-threads.ts';
import { getTicket } from '../../store/tickets/tickets.ts';
import { type LabelledItem, TransactionConflict } from '../../store/transactions.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { updateTicket } from '../tickets/update-ticket.ts';
import { findOrCreateUserByEmail } from '../users/find-or-create-user.ts';
import { type StoredAttachment, storeAttachments } from './inbound-attachments.ts';
import {
  ccCollaboratorsEnabled,
  type InboundDelivery,
  type InboundMailPorts,
  type Recovery,
} from './inbound-mail-context.ts';
import { recordDeliveryReport } from './record-delivery-report.ts';
import { type SuspensionCause, suspendInboundMail } from './suspend-inbound-mail.ts';
import { threadInboundMail } from './thread-inbound-mail.ts';

export type InboundOutcome =
  | { kind: 'ticket_created'; ticketId: number; commentId: number; followupSourceId: number | null }
  | { kind: 'comment_added'; ticketId: number; commentId: number; public: boolean }
  | { kind: 'suspended'; suspendedId: number; cause: SuspensionCause }
  | { kind: 'bounce_recorded'; addresses: string[]; ticketId: number | null }
  | { kind: 'duplicate' };

const PLACEHOLDER_BODY = '(This message has no text.)';

/** Same Message-ID, same sender, same content: the same mail, whichever of our addresses it came through. */
const contentFingerprint = (mail: ParsedInboundMail): string | undefined => {
  if (!mail.messageId) return undefined;
  const hash = createHash('sha256');
  for (const part of [
    mail.messageId,
    mail.from.map((from) => from.address).join(','),
    mail.subject,
    mail.text,
    mail.html ?? '',
  ]) {
    hash.update(part).update('\0');
  }
  for (const file of mail.attachments) hash.update(createHash('sha256').update(file.content).digest());
  return `content:${hash.digest('base64url')}`;
};

const emailVia = (sender: MailAddress, recipient: string | undefined, rel: string | null = null): Via => ({
  channel: 'email',
  source: { from: { address: sender.address, name: sender.name }, to: { address: recipient ?? null }, rel },
});

const callerFor = (user: User): Caller => ({ userId: user.id, role: user.role, email: user.email ?? '' });

interface PreparedComment {
  body: string;
  html_body: string | undefined;
  attachments: StoredAttachment[];
  truncated: boolean;
}

/** The comment's bodies: replies keep only their new text; HTML only when it kept no quote we can see. */
const prepareComment = async (
  mail: ParsedInboundMail,
  isReply: boolean,
  ports: InboundMailPorts,
): Promise<PreparedComment | undefined> => {
  const { stored, cidUrls } = await storeAttachments(
    mail.attachments,
    mail.html,
    ports.blobs,
    ports.publicUrl,
  );
  const text = isReply ? stripQuotedReply(mail.text) : mail.text;
  let html: string | undefined;
  if (mail.html) {
    const safe = sanitizeInboundHtml(mail.html, cidUrls, { keepQuotes: !isReply });
    const htmlText = htmlToText(safe);
    const quotesLeft = isReply && stripQuotedReply(htmlText).length < htmlText.length;
    if (!quotesLeft && (htmlText || safe.includes('<img'))) html = safe;
  }
  const body = text || (html ? '' : stored.length ? PLACEHOLDER_BODY : '');
  if (!body && !html)
    return mail.subject
      ? { body: PLACEHOLDER_BODY, html_body: undefined, attachments: stored, truncated: false }
      : undefined;
  return {
    body: body || PLACEHOLDER_BODY,
    // An HTML body whose text is empty (only an image) still needs text for the comment.
    html_body: html && htmlToText(html) ? html : undefined,
    attachments: stored,
    truncated: Buffer.byteLength(text) > MAX_COMMENT_BYTES,
  };
};

const attachmentItems = (plan: TicketWritePlan, attachments: StoredAttachment[]): LabelledItem[] =>
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

export const receiveInboundMail = async (
  delivery: InboundDelivery,
  raw: Buffer,
  ports: InboundMailPorts,
  recovery?: Recovery,
): Promise<InboundOutcome> => {
  const now = ports.now();
  if (!recovery && (await isDeliverySeen(delivery.sesMessageId))) return { kind: 'duplicate' };
  const suspend = async (
    cause: SuspensionCause,
    mail: ParsedInboundMail | undefined,
    extra: { ticketId?: number; contentFingerprint?: string | undefined } = {},
  ): Promise<InboundOutcome> => {
    try {
      const { suspendedId } = await suspendInboundMail(delivery, { cause, mail, ...extra }, now, recovery);
      return { kind: 'suspended', suspendedId, cause };
    } catch (error) {
      if (error instanceof TransactionConflict) return { kind: 'duplicate' };
      throw error;
    }
  };

  const bounded = boundRawMail(raw);
  if (bounded.tooLarge) return suspend('too_large', undefined);
  let parsed: ParsedInboundMail;
  try {
    parsed = await parseMail(bounded.raw);
  } catch {
    return suspend('unreadable', undefined);
  }
  const mail: ParsedInboundMail = bounded.attachmentsDropped ? { ...parsed, attachments: [] } : parsed;
  const truncated = bounded.truncated || mail.truncated;
  const fingerprint = recovery ? undefined : contentFingerprint(mail);

  const [sender] = mail.from;
  if (mail.fromHeaderCount > 1 || mail.from.length > 1) return suspend('multiple_senders', mail);
  if (!sender || mail.fromHeaderCount === 0) return suspend('no_sender', mail);
  if (!recovery && delivery.verdicts.virus) return suspend('virus', mail);
  if (!recovery && delivery.verdicts.spam) return suspend('spam', mail);

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
      sender,
      delivery,
      ports,
      now,
      claims: claims('bounce'),
    });
  }

  const automation = recovery
    ? { automated: false as const }
    : classifyAutomation(mail.headers, sender.address);
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
    return suspend(automation.reason === 'own_address' ? 'mail_loop' : 'automated_response', mail, {
      contentFingerprint: fingerprint,
      ...(liveTicket ? { ticketId: liveTicket.id } : {}),
    });
  }
  if (isOwnAddress(sender.address) || (!automation.automated && isSystemAddress(sender.address))) {
    return suspend('system_sender', mail, { contentFingerprint: fingerprint });
  }

  const user = await findOrCreateUserByEmail({ email: sender.address, name: sender.name }, now).catch(
    (error) => {
      if (error instanceof ValidationError) return undefined;
      throw error;
    },
  );
  if (!user) return suspend('no_sender', mail, { contentFingerprint: fingerprint });
  if (!user.active || user.suspended)
    return suspend('sender_suspended', mail, { contentFingerprint: fingerprint });

  const authenticated = Boolean(recovery) || delivery.verdicts.authenticated;
  const recipient = delivery.receiptRecipients[0];
  const prepared = await prepareComment(mail, Boolean(threaded), ports);
  if (!prepared) return suspend('blank', mail, { contentFingerprint: fingerprint });
  const origin = (unverified: boolean): CommentMailOrigin => ({
    raw_mail_key: delivery.rawMailKey,
    message_id: mail.messageId ?? null,
    unverified_sender: unverified,
    truncated: truncated || prepared.truncated,
  });
  const ccCandidates = (): string[] =>
    authenticated && ccCollaboratorsEnabled()
      ? [...new Set([...mail.to, ...mail.cc].map((address) => address.address))]
          .filter(
            (address) => address !== sender.address && !isOwnAddress(address) && !isSystemAddress(address),
          )
          .slice(0, MAX_CC_COLLABORATORS)
      : [];
  const recordInboundId = async (ticketId: number) => {
    if (mail.messageId)
      await recordThreadedMessage({
        messageId: mail.messageId,
        ticketId,
        recipients: [],
        direction: 'inbound',
      });
  };

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
          attachments: prepared.attachments.map(({ attachment }) => attachment),
          mail: origin(!verified),
        },
        alsoWrite: (plan) => [
          ...claims(`comment:${plan.ticket.id}`),
          ...attachmentItems(plan, prepared.attachments),
        ],
      });
      await recordInboundId(liveTicket.id);
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
        attachments: prepared.attachments.map(({ attachment }) => attachment),
        mail: origin(!authenticated),
      },
      followupSourceId: followupSource,
      alsoWrite: (created) => [
        ...claims(`ticket:${created.ticket.id}`),
        ...(recovery ? [] : [senderRateItem(sender.address, now)]),
        ...attachmentItems(created, prepared.attachments),
      ],
    });
    await recordInboundId(plan.ticket.id);
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
      if (meaning instanceof RateLimited)
        return suspend('rate_limited', mail, { contentFingerprint: fingerprint });
      if (meaning instanceof ValidationError && recovery) throw meaning;
      // The ticket refused the write (e.g. closed in between): kept for an agent rather than lost.
      if (meaning instanceof ValidationError)
        return suspend('rejected', mail, { contentFingerprint: fingerprint });
      throw meaning;
    }
    throw error;
  }
};
