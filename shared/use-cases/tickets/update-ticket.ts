/**
 * Changes a ticket (PUT /tickets/{id}, tags, PUT /requests/{id}).
 *
 * Primary course: 1. read the live ticket; 2. with `safe_update`, the caller's `updated_stamp` must
 * match `updated_at` to the second (else 409); 3. check the named people and group; 4. plan the
 * change (nothing to change → no write); 5. write it conditionally on the version read.
 * Alternate course: someone else wrote in between → read again and re-apply (their change is kept,
 * ours lands on top); with safe_update that re-read answers 409 if their write moved `updated_at`.
 */
import { NotFoundError, UpdateConflictError, ValidationError } from '../../domain/errors.ts';
import {
  type CommentInput,
  planTicketChange,
  type TicketChangeInput,
  type TicketFieldChanges,
  type TicketWritePlan,
} from '../../domain/tickets/plan-ticket-write.ts';
import type { Attachment, Audit, CommentMailOrigin, Ticket, Via } from '../../domain/tickets/ticket.ts';
import type { Caller } from '../../http/caller.ts';
import { getMacro } from '../../store/macros.ts';
import {
  allocateAuditId,
  getTicket,
  TicketVersionConflict,
  writeTicket,
} from '../../store/tickets/tickets.ts';
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

const MAX_ATTEMPTS = 5;

export interface UpdateTicketCommand {
  caller: Caller;
  ticketId: number;
  via: Via;
  now: () => string;
  fields: Omit<TicketFieldChanges, 'requester_id' | 'collaborator_ids'>;
  requester?: PersonReference | undefined;
  collaborators?: PersonReference[] | undefined;
  /** People added to the existing CCs (the Requests API's `additional_collaborators`). */
  additionalCollaborators?: PersonReference[] | undefined;
  comment?: {
    body?: string | undefined;
    html_body?: string | undefined;
    public?: boolean | undefined;
    author_id?: number | undefined;
    attachments?: Attachment[] | undefined;
    mail?: CommentMailOrigin | undefined;
  };
  /** `updated_stamp` of a safe update. */
  safeUpdateStamp?: string | undefined;
  /** Lets a caller (the Requests API) refuse the change after reading the ticket. */
  authorize?: (ticket: Ticket) => void;
  metadata?: Record<string, unknown>;
  /** The macro whose apply result this update is: named in the audit (AgentMacroReference). */
  macroId?: number | undefined;
  /** Items that must commit with the ticket write or not at all (see TicketWrite.alsoWrite). */
  alsoWrite?: (plan: TicketWritePlan) => readonly LabelledItem[];
}

export interface UpdateTicketResult {
  ticket: Ticket;
  /** Undefined when nothing changed. */
  audit?: Audit;
}

/** Zendesk compares the stamp with updated_at at second precision. */
const sameSecond = (a: string, b: string): boolean =>
  Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);

export const readLiveTicket = async (ticketId: number): Promise<Ticket> => {
  const ticket = await getTicket(ticketId);
  if (!ticket || ticket.deleted_at !== null) throw new NotFoundError();
  return ticket;
};

export const updateTicket = async (command: UpdateTicketCommand): Promise<UpdateTicketResult> => {
  for (let attempt = 1; ; attempt++) {
    const current = await readLiveTicket(command.ticketId);
    command.authorize?.(current);
    if (command.safeUpdateStamp !== undefined && !sameSecond(command.safeUpdateStamp, current.updated_at)) {
      throw new UpdateConflictError();
    }
    const now = command.now();
    const changes = await resolveChanges(command, current, now);
    const plan = planTicketChange(current, changes, {
      auditId: await allocateAuditId(),
      now,
      actorId: command.caller.userId,
      via: command.via,
      ...(command.metadata ? { metadata: command.metadata } : {}),
    });
    if (!plan) return { ticket: current };
    try {
      await writeTicket({ ...plan, expectedVersion: current.version, alsoWrite: command.alsoWrite?.(plan) });
      return plan;
    } catch (error) {
      if (!(error instanceof TicketVersionConflict)) throw error;
      // A safe update re-reads too: it conflicts only if the other write moved `updated_at`.
      if (attempt >= MAX_ATTEMPTS) throw new UpdateConflictError();
    }
  }
};

const resolveChanges = async (
  command: UpdateTicketCommand,
  current: Ticket,
  now: string,
): Promise<TicketChangeInput> => {
  const { fields } = command;
  const macro = command.macroId === undefined ? undefined : await getMacro(command.macroId);
  if (command.macroId !== undefined && !macro?.active)
    throw ValidationError.field(
      'macro_id',
      `Macro: ${command.macroId} is not an active macro`,
      'InvalidValue',
    );
  const requester =
    command.requester === undefined ? undefined : await resolvePerson(command.requester, 'requester_id', now);
  const organizationId =
    requester || fields.organization_id !== undefined
      ? organizationFor(
          requester ?? (await activeUser(current.requester_id, 'requester_id', 'Requester')),
          fields.organization_id,
        )
      : undefined;
  const assignee = await resolveAssignee(fields.assignee_id);
  await checkGroup(fields.group_id);
  if (fields.assignee_id !== undefined || fields.group_id !== undefined) {
    await checkAssigneeInGroup(
      fields.assignee_id !== undefined ? (assignee?.id ?? null) : current.assignee_id,
      fields.group_id !== undefined ? fields.group_id : current.group_id,
    );
  }
  const ticketFormId = await ticketFormFor(fields.ticket_form_id, {
    endUser: command.caller.role === 'end-user',
    creating: false,
  });
  let collaboratorIds: number[] | undefined;
  const named = command.collaborators ?? command.additionalCollaborators;
  if (named !== undefined) {
    collaboratorIds = command.collaborators === undefined ? [...current.collaborator_ids] : [];
    for (const reference of named) {
      collaboratorIds.push((await resolvePerson(reference, 'collaborator_ids', now)).id);
    }
  }
  let comment: CommentInput | undefined;
  if (command.comment) {
    const author = await activeUser(
      command.comment.author_id ?? command.caller.userId,
      'author_id',
      'Author',
    );
    comment = {
      body: command.comment.body,
      html_body: command.comment.html_body,
      public: command.comment.public ?? true,
      author_id: author.id,
      authorIsEndUser: author.role === 'end-user',
      attachments: command.comment.attachments,
      mail: command.comment.mail,
    };
  }
  return {
    ...fields,
    ...(requester ? { requester_id: requester.id } : {}),
    ...(organizationId !== undefined ? { organization_id: organizationId } : {}),
    ...(ticketFormId !== undefined ? { ticket_form_id: ticketFormId } : {}),
    ...(collaboratorIds ? { collaborator_ids: collaboratorIds } : {}),
    ...(comment ? { comment } : {}),
    ...(macro ? { macro: { id: macro.id, title: macro.title } } : {}),
  };
};
