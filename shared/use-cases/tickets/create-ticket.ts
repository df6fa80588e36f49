/**
 * Opens a ticket (POST /tickets, POST /requests).
 *
 * Primary course: 1. resolve the requester (id, `{name, email}` found or created, else the caller);
 * 2. check the organization, assignee, group and form (none named: the default form); 3. resolve
 * collaborators; 4. for a follow-up, the
 * source must be closed and lends its tags; 5. allocate ids and plan the ticket, comment and audit;
 * 6. write them in one transaction.
 */
import { randomBytes } from 'node:crypto';
import { ValidationError } from '../../domain/errors.ts';
import {
  type CommentInput,
  planNewTicket,
  type TicketFieldChanges,
  type TicketWritePlan,
} from '../../domain/tickets/plan-ticket-write.ts';
import type { Attachment, CommentMailOrigin, Via } from '../../domain/tickets/ticket.ts';
import type { Caller } from '../../http/caller.ts';
import { allocateTicketIds, getTicket, writeTicket } from '../../store/tickets/tickets.ts';
import type { LabelledItem } from '../../store/transactions.ts';
import { ticketFormFor } from '../fields/ticket-form-choice.ts';
import {
  activeUser,
  checkAssigneeInGroup,
  checkGroup,
  organizationFor,
  type PersonReference,
  resolveAssignee,
  resolvePerson,
} from './resolve-references.ts';

export interface CreateTicketCommand {
  caller: Caller;
  via: Via;
  now: string;
  fields: Omit<TicketFieldChanges, 'requester_id' | 'collaborator_ids'>;
  requester?: PersonReference | undefined;
  collaborators?: PersonReference[] | undefined;
  comment: {
    body?: string | undefined;
    html_body?: string | undefined;
    public?: boolean | undefined;
    author_id?: number | undefined;
    attachments?: Attachment[] | undefined;
    mail?: CommentMailOrigin | undefined;
  };
  followupSourceId?: number | undefined;
  /**
   * The form the caller already chose and checked (the Requests API does, because the portal's
   * required fields depend on it); without it `fields.ticket_form_id` is checked here.
   */
  chosenFormId?: number | null;
  metadata?: Record<string, unknown>;
  /** Items that must commit with the ticket write or not at all (see TicketWrite.alsoWrite). */
  alsoWrite?: (plan: TicketWritePlan) => readonly LabelledItem[];
}

export const createTicket = async (command: CreateTicketCommand): Promise<TicketWritePlan> => {
  const { caller, now, fields } = command;
  const requester =
    command.requester === undefined
      ? await activeUser(caller.userId, 'requester_id', 'Requester')
      : await resolvePerson(command.requester, 'requester_id', now);
  const organizationId = organizationFor(requester, fields.organization_id);
  const assignee = await resolveAssignee(fields.assignee_id);
  await checkGroup(fields.group_id);
  await checkAssigneeInGroup(assignee?.id ?? null, fields.group_id ?? null);
  const ticketFormId =
    command.chosenFormId !== undefined
      ? command.chosenFormId
      : await ticketFormFor(fields.ticket_form_id, { endUser: caller.role === 'end-user', creating: true });

  const collaborators = [];
  for (const reference of command.collaborators ?? []) {
    collaborators.push(await resolvePerson(reference, 'collaborators', now));
  }

  const author =
    command.comment.author_id === undefined
      ? await activeUser(caller.userId, 'author_id', 'Author')
      : await activeUser(command.comment.author_id, 'author_id', 'Author');
  const comment: CommentInput = {
    body: command.comment.body,
    html_body: command.comment.html_body,
    public: command.comment.public ?? true,
    author_id: author.id,
    authorIsEndUser: author.role === 'end-user',
    attachments: command.comment.attachments,
    mail: command.comment.mail,
  };

  let inheritedTags: string[] = [];
  if (command.followupSourceId !== undefined) {
    const source = await getTicket(command.followupSourceId);
    if (!source || source.deleted_at !== null || source.status !== 'closed') {
      throw ValidationError.field('via_followup_source_id', 'Follow-up source: must be a closed ticket');
    }
    inheritedTags = source.tags;
  }

  const ids = await allocateTicketIds();
  const plan = planNewTicket(
    {
      ...fields,
      tags: [...inheritedTags, ...(fields.tags ?? [])],
      id: ids.ticket,
      requester_id: requester.id,
      submitter_id: caller.userId,
      organization_id: organizationId,
      ticket_form_id: ticketFormId,
      collaborator_ids: collaborators.map((user) => user.id),
      comment,
      followup_source_id: command.followupSourceId ?? null,
      // 128 bits, hex because mail systems may fold the case of an address's local part.
      reply_token: randomBytes(16).toString('hex'),
    },
    {
      auditId: ids.audit,
      now,
      actorId: caller.userId,
      via: command.via,
      ...(command.metadata ? { metadata: command.metadata } : {}),
    },
  );
  await writeTicket({ ...plan, alsoWrite: command.alsoWrite?.(plan) });
  return plan;
};
