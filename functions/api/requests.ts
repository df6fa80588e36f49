/** The Requests API: end-users' own tickets, public comments only (zendesk-api.md §11, §14.1). */
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { webVia } from '../../shared/domain/tickets/ticket.ts';
import { type ApiRequest, created, ok } from '../../shared/http/api-request.ts';
import type { Caller } from '../../shared/http/caller.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { requestCreateBody, requestUpdateBody } from '../../shared/http/schemas/ticket-input.ts';
import { requestUrl, serializeRequest } from '../../shared/http/serializers/request.ts';
import { serializeRequestComment } from '../../shared/http/serializers/ticket.ts';
import { listComments, listTicketsByRequester } from '../../shared/store/tickets/tickets.ts';
import { ticketCustomFieldChanges } from '../../shared/use-cases/fields/check-field-values.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import {
  assertCanSolve,
  assertOwnRequest,
  readOwnRequest,
  requireSomeChange,
} from '../../shared/use-cases/tickets/requests.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';

const callerOf = (request: ApiRequest): Caller => request.caller as Caller;
/** End-users get the portal's field rules (visible and editable only; portal-required on create). */
const portalMode = (caller: Caller, creating: boolean) => ({ portal: caller.role === 'end-user', creating });

export const handler = createRouteGroupHandler('requests', {
  'GET /api/v2/requests': async (request) => {
    const page = await listTicketsByRequester(callerOf(request).userId, pageRequestOf(request));
    return ok(
      pageEnvelope(request, 'requests', page, (ticket) => serializeRequest(ticket, request.publicUrl)),
    );
  },
  'POST /api/v2/requests': async (request) => {
    const { request: input } = parseBody(request, requestCreateBody);
    const caller = callerOf(request);
    const customFields = await ticketCustomFieldChanges(input.custom_fields, portalMode(caller, true));
    const plan = await createTicket({
      caller,
      via: webVia(),
      now: nowTimestamp(),
      fields: {
        ...(input.subject !== undefined ? { subject: input.subject } : {}),
        ...(input.priority !== undefined ? { priority: input.priority } : {}),
        ...(input.type !== undefined ? { type: input.type } : {}),
        ...customFields,
      },
      collaborators: input.collaborators,
      // A request's comment is always public and always the requester's own.
      comment: {
        body: input.comment.body,
        html_body: input.comment.html_body,
        public: true,
        author_id: caller.userId,
      },
      followupSourceId: input.via_followup_source_id,
    });
    return created(
      { request: serializeRequest(plan.ticket, request.publicUrl) },
      requestUrl(request.publicUrl, plan.ticket.id),
    );
  },
  'GET /api/v2/requests/{id}': async (request) => {
    const ticket = await readOwnRequest(callerOf(request), idParam(request));
    return ok({ request: serializeRequest(ticket, request.publicUrl) });
  },
  'PUT /api/v2/requests/{id}': async (request) => {
    const { request: input } = parseBody(request, requestUpdateBody);
    requireSomeChange(input);
    const caller = callerOf(request);
    const customFields = await ticketCustomFieldChanges(input.custom_fields, portalMode(caller, false));
    const result = await updateTicket({
      caller,
      ticketId: idParam(request),
      via: webVia(),
      now: nowTimestamp,
      authorize: (ticket) => {
        assertOwnRequest(caller, ticket);
        if (input.solved) assertCanSolve(ticket);
      },
      fields: { ...(input.solved ? { status: 'solved' as const } : {}), ...customFields },
      ...(input.additional_collaborators ? { additionalCollaborators: input.additional_collaborators } : {}),
      ...(input.comment
        ? {
            comment: {
              body: input.comment.body,
              html_body: input.comment.html_body,
              public: true,
              author_id: caller.userId,
            },
          }
        : {}),
    });
    return ok({ request: serializeRequest(result.ticket, request.publicUrl) });
  },
  'GET /api/v2/requests/{id}/comments': async (request) => {
    const ticket = await readOwnRequest(callerOf(request), idParam(request));
    const page = await listComments(ticket.id, pageRequestOf(request), { publicOnly: true });
    return ok(pageEnvelope(request, 'comments', page, serializeRequestComment));
  },
});
