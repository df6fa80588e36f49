/** The Tickets API (agents and admins): zendesk-api.md §2. */
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import type { Ticket } from '../../shared/domain/tickets/ticket.ts';
import { apiVia } from '../../shared/domain/tickets/ticket.ts';
import { type ApiRequest, created, noContent, ok } from '../../shared/http/api-request.ts';
import type { Caller } from '../../shared/http/caller.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idListParam, idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { tagsBody, ticketBody } from '../../shared/http/schemas/ticket-input.ts';
import {
  serializeAudit,
  serializeComment,
  serializeTicket,
  ticketUrl,
} from '../../shared/http/serializers/ticket.ts';
import { ticketSerializer, withTicketSideloads } from '../../shared/http/ticket-sideloads.ts';
import type { Page } from '../../shared/store/pagination.ts';
import {
  getTickets,
  listAudits,
  listComments,
  listDeletedTickets,
  listTickets,
  listTicketsByAssignee,
  listTicketsByOrganization,
  listTicketsByRequester,
} from '../../shared/store/tickets/tickets.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { deleteTicket } from '../../shared/use-cases/tickets/delete-ticket.ts';
import { ticketInputCommand } from '../../shared/use-cases/tickets/ticket-input-command.ts';
import { readLiveTicket, updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';

const callerOf = (request: ApiRequest): Caller => request.caller as Caller;

const ticketList = async (request: ApiRequest, page: Page<Ticket>) =>
  ok(
    pageEnvelope(
      request,
      'tickets',
      page,
      await ticketSerializer(request, page.items),
      await withTicketSideloads(request, page.items),
    ),
  );

const showTicket = async (request: ApiRequest) => {
  const ticket = await readLiveTicket(idParam(request));
  return ok({
    ticket: (await ticketSerializer(request, [ticket]))(ticket),
    ...(await withTicketSideloads(request, [ticket])),
  });
};

const createTicketRoute = async (request: ApiRequest) => {
  const { ticket: input } = parseBody(request, ticketBody);
  if (!input.comment) throw ValidationError.field('comment', 'Comment: cannot be blank');
  const command = await ticketInputCommand(input);
  const plan = await createTicket({
    caller: callerOf(request),
    via: apiVia(),
    now: nowTimestamp(),
    fields: command.fields,
    requester: command.requester,
    collaborators: command.collaborators,
    comment: input.comment,
    followupSourceId: input.via_followup_source_id,
    ...(input.metadata ? { metadata: input.metadata } : {}),
  });
  return created(
    { ticket: serializeTicket(plan.ticket, request.publicUrl), audit: serializeAudit(plan.audit) },
    ticketUrl(request.publicUrl, plan.ticket.id),
  );
};

const updateTicketRoute = async (request: ApiRequest) => {
  const { ticket: input } = parseBody(request, ticketBody);
  const command = await ticketInputCommand(input);
  const result = await updateTicket({
    caller: callerOf(request),
    ticketId: idParam(request),
    via: apiVia(),
    now: nowTimestamp,
    fields: command.fields,
    requester: command.requester,
    collaborators: command.collaborators,
    comment: input.comment,
    safeUpdateStamp: command.safeUpdateStamp,
    macroId: input.macro_id,
    ...(input.metadata ? { metadata: input.metadata } : {}),
  });
  return ok({
    ticket: serializeTicket(result.ticket, request.publicUrl),
    audit: result.audit ? serializeAudit(result.audit) : null,
  });
};

/** `POST` sets the tags, `PUT` adds to them, `DELETE` removes them (zendesk-api.md §2.7). */
const changeTags =
  (operation: 'tags' | 'additional_tags' | 'remove_tags', status: 200 | 201 | 204) =>
  async (request: ApiRequest) => {
    const input = parseBody(request, tagsBody);
    const result = await updateTicket({
      caller: callerOf(request),
      ticketId: idParam(request),
      via: apiVia(),
      now: nowTimestamp,
      fields: { [operation]: input.tags },
      safeUpdateStamp: input.safe_update !== undefined ? input.updated_stamp : undefined,
    });
    return status === 204 ? noContent() : { statusCode: status, body: { tags: result.ticket.tags } };
  };

export const handler = createRouteGroupHandler('tickets', {
  'GET /api/v2/tickets': async (request) => ticketList(request, await listTickets(pageRequestOf(request))),
  'POST /api/v2/tickets': createTicketRoute,
  'GET /api/v2/tickets/show_many': async (request) => {
    const tickets = (await getTickets(idListParam(request))).filter((ticket) => ticket.deleted_at === null);
    return ok({
      tickets: tickets.map(await ticketSerializer(request, tickets)),
      ...(await withTicketSideloads(request, tickets)),
    });
  },
  'GET /api/v2/tickets/{id}': showTicket,
  'PUT /api/v2/tickets/{id}': updateTicketRoute,
  'DELETE /api/v2/tickets/{id}': async (request) => {
    await deleteTicket({
      ticketId: idParam(request),
      actorId: callerOf(request).userId,
      via: apiVia(),
      now: nowTimestamp(),
    });
    return noContent();
  },
  'GET /api/v2/tickets/{id}/comments': async (request) => {
    const ticket = await readLiveTicket(idParam(request));
    const page = await listComments(ticket.id, pageRequestOf(request));
    return ok(
      pageEnvelope(request, 'comments', page, (comment) => serializeComment(comment, request.publicUrl)),
    );
  },
  'GET /api/v2/tickets/{id}/audits': async (request) => {
    const ticket = await readLiveTicket(idParam(request));
    const page = await listAudits(ticket.id, pageRequestOf(request));
    return ok(pageEnvelope(request, 'audits', page, serializeAudit));
  },
  'GET /api/v2/tickets/{id}/tags': async (request) =>
    ok({ tags: (await readLiveTicket(idParam(request))).tags }),
  'POST /api/v2/tickets/{id}/tags': changeTags('tags', 201),
  'PUT /api/v2/tickets/{id}/tags': changeTags('additional_tags', 200),
  'DELETE /api/v2/tickets/{id}/tags': changeTags('remove_tags', 204),
  'GET /api/v2/organizations/{id}/tickets': async (request) =>
    ticketList(request, await listTicketsByOrganization(idParam(request), pageRequestOf(request))),
  'GET /api/v2/users/{id}/tickets/requested': async (request) =>
    ticketList(request, await listTicketsByRequester(idParam(request), pageRequestOf(request))),
  'GET /api/v2/users/{id}/tickets/assigned': async (request) =>
    ticketList(request, await listTicketsByAssignee(idParam(request), pageRequestOf(request))),
  'GET /api/v2/deleted_tickets': async (request) => {
    const page = await listDeletedTickets(pageRequestOf(request));
    return ok(
      pageEnvelope(request, 'deleted_tickets', page, (ticket) => ({
        id: ticket.id,
        subject: ticket.subject,
        description: ticket.description,
        actor: null,
        deleted_at: ticket.deleted_at,
        previous_state: ticket.status,
      })),
    );
  },
});
