/**
 * Applying a macro: what it would do, never saved (zendesk-api.md §5.2, §14.10). The caller submits
 * the result with an ordinary ticket update, which runs every ticket check and the triggers.
 *
 * Primary course: 1. read the macro the caller may see (404 otherwise) and compile its stored
 * actions; 2. read the ticket, if one is named, and the people the placeholders name; 3. apply the
 * actions to a copy (`current_user` is the caller) and render the comment and subject; 4. count one
 * use of the macro. Nothing is written to the ticket.
 */
import type { User } from '../../domain/directory/user.ts';
import { htmlToText } from '../../domain/html-text.ts';
import {
  applyMacro,
  type MacroComment,
  type MacroPlaceholders,
  macroChanges,
  renderMacro,
} from '../../domain/macros/apply-macro.ts';
import type { CompiledMacroActions } from '../../domain/macros/macro-actions.ts';
import type { RuleTicket } from '../../domain/rules/rule-context.ts';
import type { Ticket } from '../../domain/tickets/ticket.ts';
import type { Caller } from '../../http/caller.ts';
import { getGroup } from '../../store/directory/groups.ts';
import { getOrganization } from '../../store/directory/organizations.ts';
import { getUsers } from '../../store/directory/users.ts';
import { recordMacroUse } from '../../store/macros.ts';
import { readLiveTicket } from '../tickets/update-ticket.ts';
import { compileMacroOrThrow, getVisibleMacro } from './manage-macros.ts';

export interface MacroPreview {
  /** Only the fields the macro sets, and tag operations (see macroChanges). */
  changes: Record<string, unknown>;
  comment?: MacroComment;
}

export interface MacroOnTicket {
  ticket: Ticket;
  comment?: MacroComment;
}

const placeholderPerson = (user: User | undefined) => user && { name: user.name, email: user.email };

const compiledMacro = async (caller: Caller, macroId: number): Promise<CompiledMacroActions> =>
  compileMacroOrThrow((await getVisibleMacro(caller, macroId)).actions);

export const previewMacro = async (caller: Caller, macroId: number, now: string): Promise<MacroPreview> => {
  const macro = await compiledMacro(caller, macroId);
  const [currentUser] = await getUsers([caller.userId]);
  const applied = applyMacro(macro, undefined, { id: caller.userId, role: caller.role });
  const rendered = renderMacro(applied, { currentUser: placeholderPerson(currentUser) }, htmlToText);
  await recordMacroUse(macroId, now);
  return {
    changes: macroChanges(applied, rendered, macro),
    ...(rendered.comment ? { comment: rendered.comment } : {}),
  };
};

/** The people and names the placeholders read, for the ticket as the macro leaves it. */
const placeholdersFor = async (caller: Caller, ticket: RuleTicket): Promise<MacroPlaceholders> => {
  const userIds = [caller.userId, ticket.requester_id, ...(ticket.assignee_id ? [ticket.assignee_id] : [])];
  const [users, group, organization] = await Promise.all([
    getUsers([...new Set(userIds)]),
    ticket.group_id === null ? undefined : getGroup(ticket.group_id),
    ticket.organization_id === null ? undefined : getOrganization(ticket.organization_id),
  ]);
  const user = (id: number | null) => placeholderPerson(users.find((candidate) => candidate.id === id));
  return {
    currentUser: user(caller.userId),
    requester: user(ticket.requester_id),
    assignee: user(ticket.assignee_id),
    groupName: group?.name,
    organizationName: organization?.name,
  };
};

export const applyMacroToTicket = async (
  caller: Caller,
  ticketId: number,
  macroId: number,
  now: string,
): Promise<MacroOnTicket> => {
  const [macro, ticket] = await Promise.all([compiledMacro(caller, macroId), readLiveTicket(ticketId)]);
  const applied = applyMacro(macro, ticket, { id: caller.userId, role: caller.role });
  const rendered = renderMacro(applied, await placeholdersFor(caller, applied.ticket), htmlToText);
  await recordMacroUse(macroId, now);
  const after = rendered.ticket;
  return {
    ticket: {
      ...ticket,
      subject: after.subject,
      status: after.status,
      priority: after.priority,
      type: after.type,
      group_id: after.group_id,
      assignee_id: after.assignee_id,
      tags: after.tags,
      custom_fields: after.custom_fields,
    },
    ...(rendered.comment ? { comment: rendered.comment } : {}),
  };
};
