/**
 * The Requests API: end-users' own tickets, public comments only, and only the fields the portal shows
 * (zendesk-api.md §11, §14.1). End-users fill in what the request form offers them: subject, priority,
 * type and custom fields only where the field is visible and editable in the portal.
 */
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
import { currentPortalView } from '../../shared/use-cases/fields/portal-view.ts';
import { endUserRequestForm } from '../../shared/use-cases/fields/ticket-form-choice.ts';
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
    const [page, portal] = await Promise.all([
      listTicketsByRequester(callerOf(request).userId, pageRequestOf(request)),
      currentPortalView(),
    ]);
    return ok(
      pageEnvelope(request, 'requests', page, (ticket) =>
        serializeRequest(ticket, request.publicUrl, portal),
      ),
    );
  },
  'POST /api/v2/requests': async (request) => {
    const { request: input } = parseBody(request, requestCreateBody);
    const caller = callerOf(request);
    const mode = portalMode(caller, true);
    // Only the fields of the form the customer fills in can be required of them.
    const form = mode.portal ? await endUserRequestForm(input.ticket_form_id) : undefined;
    const customFields = await ticketCustomFieldChanges(
      input.custom_fields,
      { ...mode, ...(form ? { formFieldIds: form.ticket_field_ids } : {}) },
      {
        subject: input.subject,
        priority: input.priority,
        type: input.type,
      },
    );
    const plan = await createTicket({
      caller,
      via: webVia(),
      now: nowTimestamp(),
      fields: {
        ...(input.subject !== undefined ? { subject: input.subject } : {}),
        ...(input.priority !== undefined ? { priority: input.priority } : {}),
        ...(input.type !== undefined ? { type: input.type } : {}),
        ...customFields,
        ...(input.ticket_form_id !== undefined ? { ticket_form_id: input.ticket_form_id } : {}),
      },
      ...(mode.portal ? { chosenFormId: form?.id ?? null } : {}),
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
      { request: serializeRequest(plan.ticket, request.publicUrl, await currentPortalView()) },
      requestUrl(request.publicUrl, plan.ticket.id),
    );
  },
  'GET /api/v2/requests/{id}': async (request) => {
    const [ticket, portal] = await Promise.all([
      readOwnRequest(callerOf(request), idParam(request)),
      currentPortalView(),
    ]);
    return ok({ request: serializeRequest(ticket, request.publicUrl, portal) });
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
    return ok({ request: serializeRequest(result.ticket, request.publicUrl, await currentPortalView()) });
  },
  'GET /api/v2/requests/{id}/comments': async (request) => {
    const ticket = await readOwnRequest(callerOf(request), idParam(request));
    const page = await listComments(ticket.id, pageRequestOf(request), { publicOnly: true });
    return ok(pageEnvelope(request, 'comments', page, serializeRequestComment));
  },
});
