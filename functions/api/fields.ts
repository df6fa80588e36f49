/**
 * The `fields` route group: ticket fields (and their options), ticket forms, user fields and
 * organization fields (zendesk-api.md §2.9, §3). End-users see only the ticket fields visible in the
 * portal and the forms visible to them; anything else is 404 to them, as if it did not exist.
 */
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import type { DirectoryField, TicketField, TicketForm } from '../../shared/domain/fields/field-definition.ts';
import { type ApiRequest, created, noContent, ok } from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import {
  customFieldOptionBody,
  organizationFieldBody,
  ticketFieldBody,
  ticketFormBody,
  userFieldBody,
} from '../../shared/http/schemas/field-input.ts';
import {
  serializeDirectoryField,
  serializeFieldOption,
  serializeTicketField,
  serializeTicketForm,
} from '../../shared/http/serializers/fields.ts';
import { listDefinitions } from '../../shared/store/fields/field-definitions.ts';
import {
  createDirectoryField,
  createTicketField,
  createTicketForm,
  type DirectoryFieldKind,
  deleteDirectoryField,
  deleteTicketField,
  deleteTicketForm,
  readDefinition,
  updateDirectoryField,
  updateTicketField,
  updateTicketForm,
  upsertTicketFieldOption,
} from '../../shared/use-cases/fields/manage-fields.ts';

const isEndUser = (request: ApiRequest) => request.caller?.role === 'end-user';
const fieldOut = (request: ApiRequest) => (field: TicketField) =>
  serializeTicketField(field, request.publicUrl);
const formOut = (request: ApiRequest) => (form: TicketForm) => serializeTicketForm(form, request.publicUrl);

const readTicketField = async (request: ApiRequest): Promise<TicketField> => {
  const field = await readDefinition<TicketField>('ticket_field', idParam(request));
  if (isEndUser(request) && !field.visible_in_portal) throw new NotFoundError();
  return field;
};

/** The four routes of one directory field kind, which differ only in names. */
const directoryFieldRoutes = (kind: DirectoryFieldKind) => {
  const collection = kind === 'user_field' ? 'user_fields' : 'organization_fields';
  const inputOf = (request: ApiRequest) =>
    kind === 'user_field'
      ? parseBody(request, userFieldBody).user_field
      : parseBody(request, organizationFieldBody).organization_field;
  const out = (request: ApiRequest) => (field: DirectoryField) =>
    serializeDirectoryField(field, collection, request.publicUrl);
  return {
    list: async (request: ApiRequest) =>
      ok(
        pageEnvelope(
          request,
          collection,
          await listDefinitions<DirectoryField>(kind, pageRequestOf(request)),
          out(request),
        ),
      ),
    create: async (request: ApiRequest) =>
      created({ [kind]: out(request)(await createDirectoryField(kind, inputOf(request), nowTimestamp())) }),
    show: async (request: ApiRequest) =>
      ok({ [kind]: out(request)(await readDefinition<DirectoryField>(kind, idParam(request))) }),
    update: async (request: ApiRequest) =>
      ok({
        [kind]: out(request)(
          await updateDirectoryField(kind, idParam(request), inputOf(request), nowTimestamp()),
        ),
      }),
    remove: async (request: ApiRequest) => {
      await deleteDirectoryField(kind, idParam(request));
      return noContent();
    },
  };
};

const userFields = directoryFieldRoutes('user_field');
const organizationFields = directoryFieldRoutes('organization_field');

export const handler = createRouteGroupHandler('fields', {
  'GET /api/v2/ticket_fields': async (request) => {
    const page = await listDefinitions<TicketField>(
      'ticket_field',
      pageRequestOf(request),
      isEndUser(request) ? 'visible_in_portal' : undefined,
    );
    return ok(pageEnvelope(request, 'ticket_fields', page, fieldOut(request)));
  },
  'POST /api/v2/ticket_fields': async (request) => {
    const { ticket_field: input } = parseBody(request, ticketFieldBody);
    return created({ ticket_field: fieldOut(request)(await createTicketField(input, nowTimestamp())) });
  },
  'GET /api/v2/ticket_fields/{id}': async (request) =>
    ok({ ticket_field: fieldOut(request)(await readTicketField(request)) }),
  'PUT /api/v2/ticket_fields/{id}': async (request) => {
    const { ticket_field: input } = parseBody(request, ticketFieldBody);
    return ok({
      ticket_field: fieldOut(request)(await updateTicketField(idParam(request), input, nowTimestamp())),
    });
  },
  'DELETE /api/v2/ticket_fields/{id}': async (request) => {
    await deleteTicketField(idParam(request));
    return noContent();
  },
  'GET /api/v2/ticket_fields/{id}/options': async (request) => {
    const field = await readTicketField(request);
    const options = field.custom_field_options.map((option) =>
      serializeFieldOption(field, option, request.publicUrl),
    );
    return ok({ custom_field_options: options, next_page: null, previous_page: null, count: options.length });
  },
  'POST /api/v2/ticket_fields/{id}/options': async (request) => {
    const { custom_field_option: input } = parseBody(request, customFieldOptionBody);
    const result = await upsertTicketFieldOption(idParam(request), input, nowTimestamp());
    const option = result.field.custom_field_options.find((candidate) => candidate.id === result.optionId);
    if (!option) throw new NotFoundError();
    const body = { custom_field_option: serializeFieldOption(result.field, option, request.publicUrl) };
    return result.created ? created(body) : ok(body);
  },

  'GET /api/v2/ticket_forms': async (request) => {
    const page = await listDefinitions<TicketForm>(
      'ticket_form',
      pageRequestOf(request),
      isEndUser(request) ? 'end_user_visible' : undefined,
    );
    return ok(pageEnvelope(request, 'ticket_forms', page, formOut(request)));
  },
  'POST /api/v2/ticket_forms': async (request) => {
    const { ticket_form: input } = parseBody(request, ticketFormBody);
    return created({ ticket_form: formOut(request)(await createTicketForm(input, nowTimestamp())) });
  },
  'GET /api/v2/ticket_forms/{id}': async (request) => {
    const form = await readDefinition<TicketForm>('ticket_form', idParam(request));
    if (isEndUser(request) && !form.end_user_visible) throw new NotFoundError();
    return ok({ ticket_form: formOut(request)(form) });
  },
  'PUT /api/v2/ticket_forms/{id}': async (request) => {
    const { ticket_form: input } = parseBody(request, ticketFormBody);
    return ok({
      ticket_form: formOut(request)(await updateTicketForm(idParam(request), input, nowTimestamp())),
    });
  },
  'DELETE /api/v2/ticket_forms/{id}': async (request) => {
    await deleteTicketForm(idParam(request));
    return noContent();
  },

  'GET /api/v2/user_fields': userFields.list,
  'POST /api/v2/user_fields': userFields.create,
  'GET /api/v2/user_fields/{id}': userFields.show,
  'PUT /api/v2/user_fields/{id}': userFields.update,
  'DELETE /api/v2/user_fields/{id}': userFields.remove,
  'GET /api/v2/organization_fields': organizationFields.list,
  'POST /api/v2/organization_fields': organizationFields.create,
  'GET /api/v2/organization_fields/{id}': organizationFields.show,
  'PUT /api/v2/organization_fields/{id}': organizationFields.update,
  'DELETE /api/v2/organization_fields/{id}': organizationFields.remove,
});
