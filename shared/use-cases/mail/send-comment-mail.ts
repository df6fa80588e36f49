/**
 * Mails a public comment to the ticket's requester and CCs, when a trigger's notification carries it
 * (the default "Notify requester and CCs of comment update", see send-notification-mail.ts).
 *
 * Primary course: 1. read the ticket and its comments; the comment must be stored public (an internal
 * note is never mailed, whatever the event said); 2. claim the comment (see mail-claims.ts for why
 * a lease); 3. choose recipients: not the author, not our own or undeliverable addresses, not
 * people without email; an end-user's comment goes to the others as capped automatic mail; 4. render,
 * compose with threading headers and send; 5. mark it sent; 6. record both Message-IDs (ours and the
 * SES one) so replies to either thread onto the ticket. The notification's rendered subject is the
 * mail's subject and its body stands for the comment (see `notifiedComment`); the earlier thread is
 * quoted below it as always.
 * Alternate courses: already sent → only step 6 again (it may not have finished); another run holds
 * the claim → CommentMailInProgress, so the queue retries after that run has finished; nobody to mail
 * → marked done with no recipients.
 */
import { isStaff, type User } from '../../domain/directory/user.ts';
import { commentBodies } from '../../domain/tickets/comment-body.ts';
import type { Comment, Ticket } from '../../domain/tickets/ticket.ts';
import { replyAddressFor, supportAddress } from '../../mail/addresses.ts';
import { isSystemAddress } from '../../mail/inbound/automated-mail.ts';
import type { MailSender } from '../../mail/mail-sender.ts';
import { sesMessageIdHeader } from '../../mail/mail-sender.ts';
import { createMessageId } from '../../mail/message-ids.ts';
import { planCommentMail } from '../../mail/outbound/comment-mail-plan.ts';
import { composeMail } from '../../mail/outbound/compose-mail.ts';
import { deskName, domainOf, requestUrl } from '../../mail/outbound/desk-identity.ts';
import { type RenderedComment, renderCommentMail } from '../../mail/outbound/render-comment-mail.ts';
import { threadHeaders } from '../../mail/outbound/thread-headers.ts';
import { getUsers } from '../../store/directory/users.ts';
import {
  claimCommentMail,
  listSentCommentMail,
  markCommentMailSent,
  type SentCommentMail,
} from '../../store/mail/sent-comment-mail.ts';
import { recordThreadedMessage } from '../../store/tickets/mail-threads.ts';
import { getTicket, listComments } from '../../store/tickets/tickets.ts';
import { mayAutoMail } from './auto-mail.ts';
import { undeliverableAmong } from './mail-suppression.ts';

/** Longer than the consumer's timeout, shorter than its queue's visibility timeout. */
const CLAIM_LEASE_MS = 90_000;
/** Earlier public comments quoted below the new one. */
const THREAD_LENGTH = 3;

export interface SendCommentMailDependencies {
  sender: MailSender;
  mailSecret: () => Promise<string>;
  now: () => Date;
}

export type SendCommentMailOutcome =
  | 'sent'
  | 'already_sent'
  | 'not_found'
  | 'internal_note'
  | 'not_mailed'
  | 'no_recipients';

/** Another run holds this comment's claim; retrying later finds it sent. */
export class CommentMailInProgress extends Error {}

const allComments = async (ticketId: number): Promise<Comment[]> => {
  const comments: Comment[] = [];
  let after: string | undefined;
  do {
    const page = await listComments(ticketId, {
      mode: 'cursor',
      size: 100,
      descending: false,
      ...(after ? { after } : {}),
    });
    comments.push(...page.items);
    after = page.hasMore ? (page.afterCursor ?? undefined) : undefined;
  } while (after);
  return comments;
};

const recordMessageIds = async (ticketId: number, sent: SentCommentMail): Promise<void> => {
  for (const messageId of sent.messageIds) {
    await recordThreadedMessage({ messageId, ticketId, recipients: sent.recipients, direction: 'outbound' });
  }
};

/** Every id the public conversation carried so far, oldest first: mail we received, then mail we sent. */
const conversationHistory = (comments: readonly Comment[], sent: readonly SentCommentMail[]): string[] => {
  const sentByComment = new Map(sent.map((mail) => [mail.commentId, mail.messageIds]));
  return comments.flatMap((comment) => [
    ...(comment.public && comment.mail?.message_id ? [comment.mail.message_id] : []),
    ...(sentByComment.get(comment.id) ?? []),
  ]);
};

const rendered = (comment: Comment, people: ReadonlyMap<number, User>): RenderedComment => ({
  author_name: people.get(comment.author_id)?.name ?? 'Support',
  created_at: comment.created_at,
  html_body: comment.html_body,
  plain_body: comment.plain_body,
});

/** The rendered notification a trigger sent with the comment. */
export interface CommentNotification {
  subject: string;
  body: string;
}

/**
 * What the mail shows as the comment when a notification carries it: the notification's body, which
 * the default trigger makes the comment's own text (`{{ticket.latest_public_comment}}`). When the body
 * is exactly that text, or came out empty because the rule left out an unverified requester's text,
 * the stored comment is shown instead, keeping its formatting: a comment is never mailed to its
 * author, so what is shown is never an echo of the recipient's own words.
 */
const notifiedComment = (
  comment: Comment,
  notification: CommentNotification,
  people: ReadonlyMap<number, User>,
): RenderedComment => {
  const body = notification.body.trim();
  if (body === '' || body === comment.plain_body.trim()) return rendered(comment, people);
  const bodies = commentBodies({ body: notification.body });
  return { ...rendered(comment, people), html_body: bodies.html_body, plain_body: bodies.plain_body };
};

const deliverable = async (
  recipients: readonly string[],
  automatic: boolean,
  now: string,
): Promise<string[]> => {
  const undeliverable = await undeliverableAmong(recipients);
  // Automatic mail never goes to no-reply style mailboxes, which answer with bounces at best.
  const remaining = recipients.filter(
    (address) => !undeliverable.has(address) && !(automatic && isSystemAddress(address)),
  );
  if (!automatic) return remaining;
  const allowed: string[] = [];
  for (const address of remaining) if (await mayAutoMail(address, now)) allowed.push(address);
  return allowed;
};

export const sendCommentMail = async (
  event: { ticketId: number; commentId: number; notification: CommentNotification },
  dependencies: SendCommentMailDependencies,
): Promise<SendCommentMailOutcome> => {
  const ticket = await getTicket(event.ticketId);
  if (!ticket || ticket.deleted_at !== null) return 'not_found';
  const comments = await allComments(ticket.id);
  const comment = comments.find((candidate) => candidate.id === event.commentId);
  if (!comment) return 'not_found';
  if (!comment.public) return 'internal_note';

  const people = await getUsers([
    comment.author_id,
    ticket.requester_id,
    ...ticket.collaborator_ids,
    ...ticket.email_cc_ids,
  ]);
  const plan = planCommentMail(ticket, comment, people);
  if (!plan) return 'not_mailed';

  const support = supportAddress();
  const startedAt = dependencies.now();
  const claim = await claimCommentMail({
    ticketId: ticket.id,
    commentId: comment.id,
    messageId: createMessageId({
      ticketId: ticket.id,
      secret: await dependencies.mailSecret(),
      domain: domainOf(support),
    }),
    nowMs: startedAt.getTime(),
    leaseUntilMs: startedAt.getTime() + CLAIM_LEASE_MS,
  });
  if (claim.status === 'in_progress')
    throw new CommentMailInProgress(`Comment ${comment.id} is being mailed`);
  if (claim.status === 'done') {
    await recordMessageIds(ticket.id, claim.sent);
    return 'already_sent';
  }

  const now = startedAt.toISOString();
  const recipients = await deliverable(plan.recipients, plan.kind === 'notification', now);
  if (recipients.length === 0) {
    await markCommentMailSent(ticket.id, { commentId: comment.id, messageIds: [], recipients: [] }, now);
    return 'no_recipients';
  }

  const raw = await composeCommentMail(ticket, comment, comments, people, {
    kind: plan.kind,
    recipients,
    messageId: claim.messageId,
    date: startedAt,
    notification: event.notification,
  });
  const { providerMessageId } = await dependencies.sender.send({ raw, from: support, to: recipients });
  const sent: SentCommentMail = {
    commentId: comment.id,
    messageIds: [claim.messageId, sesMessageIdHeader(providerMessageId)],
    recipients,
  };
  await markCommentMailSent(ticket.id, sent, dependencies.now().toISOString());
  await recordMessageIds(ticket.id, sent);
  return 'sent';
};

const composeCommentMail = async (
  ticket: Ticket,
  comment: Comment,
  comments: readonly Comment[],
  people: readonly User[],
  mail: {
    kind: 'reply' | 'notification';
    recipients: string[];
    messageId: string;
    date: Date;
    notification: CommentNotification;
  },
): Promise<Buffer> => {
  const byId = new Map(people.map((person) => [person.id, person]));
  const earlier = comments.filter((candidate) => candidate.public && candidate.id < comment.id);
  const content = await renderCommentMail({
    ticket: { id: ticket.id, subject: ticket.subject ?? ticket.description.slice(0, 80) },
    comment: notifiedComment(comment, mail.notification, byId),
    thread: earlier
      .slice(-THREAD_LENGTH)
      .reverse()
      .map((previous) => rendered(previous, byId)),
    ticketUrl: requestUrl(ticket.id),
    subject: mail.notification.subject,
  });
  const history = conversationHistory(
    comments.filter((candidate) => candidate.id < comment.id),
    await listSentCommentMail(ticket.id),
  );
  const author = byId.get(comment.author_id);
  const replyTo = ticket.reply_token ? replyAddressFor(ticket.reply_token) : supportAddress();
  const automatic = mail.kind === 'notification';
  return composeMail({
    // A human reply shows who wrote it, as mail between people does; a notification speaks for the desk.
    from: {
      name: !automatic && author && isStaff(author) ? `${author.name} (${deskName()})` : deskName(),
      address: supportAddress(),
    },
    to: mail.recipients,
    replyTo,
    subject: content.subject,
    messageId: mail.messageId,
    ...threadHeaders(history, mail.messageId),
    text: content.text,
    html: content.html,
    date: mail.date,
    automatic: automatic ? 'auto-generated' : undefined,
    listUnsubscribe: automatic ? `mailto:${replyTo}?subject=unsubscribe` : undefined,
  });
};
