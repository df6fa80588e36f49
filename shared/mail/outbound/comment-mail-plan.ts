/**
 * Who a public comment is mailed to, and as what. A staff member's public comment is a human reply to
 * the requester and CCs. An end-user's public comment reaches the other participants (never its
 * author) as an automatic notification: nobody wrote to them, and two auto-acknowledging mailboxes on
 * one ticket must not be able to mail each other forever, so it is marked automatic and capped.
 */
import type { User } from '../../domain/directory/user.ts';
import { isStaff } from '../../domain/directory/user.ts';
import type { Comment, Ticket } from '../../domain/tickets/ticket.ts';
import { isOwnAddress, normalizeAddress } from '../addresses.ts';

export type CommentMailKind = 'reply' | 'notification';

export interface CommentMailPlan {
  kind: CommentMailKind;
  /** Normalised addresses, requester first, before suppression and caps are applied. */
  recipients: string[];
}

export const planCommentMail = (
  ticket: Pick<Ticket, 'requester_id' | 'collaborator_ids' | 'email_cc_ids'>,
  comment: Pick<Comment, 'public' | 'author_id'>,
  people: readonly User[],
): CommentMailPlan | undefined => {
  if (!comment.public) return undefined;
  const byId = new Map(people.map((person) => [person.id, person]));
  const author = byId.get(comment.author_id);
  if (!author) return undefined;
  const recipients: string[] = [];
  for (const id of [ticket.requester_id, ...ticket.collaborator_ids, ...ticket.email_cc_ids]) {
    const person = byId.get(id);
    if (!person?.active || person.suspended || person.id === author.id) continue;
    const address = normalizeAddress(person.email);
    if (!address || isOwnAddress(address) || address === author.email) continue;
    if (!recipients.includes(address)) recipients.push(address);
  }
  return { kind: isStaff(author) ? 'reply' : 'notification', recipients };
};
