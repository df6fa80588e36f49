/** The `macros` route group: Zendesk's Macros API (zendesk-api.md §5.2), apply included. */
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { InvalidRequestError } from '../../shared/domain/errors.ts';
import type { MacroRecord } from '../../shared/domain/macros/macro.ts';
import { type ApiRequest, created, noContent, ok } from '../../shared/http/api-request.ts';
import type { Caller } from '../../shared/http/caller.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { macroBody, macroListQuery, macroUpdateManyBody } from '../../shared/http/schemas/macro-input.ts';
import { serializeMacro, serializeMacroComment } from '../../shared/http/serializers/macro.ts';
import { serializeTicket } from '../../shared/http/serializers/ticket.ts';
import { pageOfSorted } from '../../shared/store/sorted-pages.ts';
import { applyMacroToTicket, previewMacro } from '../../shared/use-cases/macros/apply-macro.ts';
import { listMacros, macroUsages } from '../../shared/use-cases/macros/list-macros.ts';
import {
  createMacro,
  deleteMacro,
  getVisibleMacro,
  updateMacro,
  updateManyMacros,
} from '../../shared/use-cases/macros/manage-macros.ts';

const callerOf = (request: ApiRequest): Caller => request.caller as Caller;
const serializer = (request: ApiRequest) => (macro: MacroRecord) => serializeMacro(macro, request.publicUrl);

const listQuery = (request: ApiRequest) => {
  const parsed = macroListQuery.safeParse(Object.fromEntries(request.query));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidRequestError(`${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'is not valid'}`);
  }
  return parsed.data;
};

/** One page of the caller's macros, `usage_*` added for the windows named in `include`. */
const list = (scope: { activeOnly?: boolean; search?: boolean }) => async (request: ApiRequest) => {
  const query = listQuery(request);
  if (scope.search && !query.query?.trim()) throw new InvalidRequestError('query is required');
  const now = nowTimestamp();
  const macros = await listMacros(
    callerOf(request),
    {
      active: scope.activeOnly ? true : query.active,
      access: query.access,
      groupId: query.group_id,
      query: scope.search ? query.query : undefined,
      // Zendesk sorts alphabetically unless told otherwise.
      sort: query.sort_by ?? 'alphabetical',
      order: query.sort_order,
    },
    now,
  );
  // The list is already in the requested order: paging must not reverse it again.
  const page = pageOfSorted(macros, { ...pageRequestOf(request), descending: false });
  const windows = query.include ?? [];
  const usage = windows.length
    ? await macroUsages(
        page.items.map((macro) => macro.id),
        now,
      )
    : undefined;
  return ok(
    pageEnvelope(request, 'macros', page, (macro) =>
      serializeMacro(macro, request.publicUrl, usage && { windows, counts: usage.get(macro.id) }),
    ),
  );
};

export const handler = createRouteGroupHandler('macros', {
  'GET /api/v2/macros': list({}),
  'GET /api/v2/macros/active': list({ activeOnly: true }),
  'GET /api/v2/macros/search': list({ search: true }),
  'POST /api/v2/macros': async (request) =>
    created({
      macro: serializer(request)(
        await createMacro(callerOf(request), parseBody(request, macroBody).macro, nowTimestamp()),
      ),
    }),
  'PUT /api/v2/macros/update_many': async (request) => {
    const { macros } = parseBody(request, macroUpdateManyBody);
    const updated = await updateManyMacros(callerOf(request), macros, nowTimestamp());
    return ok({ macros: updated.map(serializer(request)) });
  },
  'GET /api/v2/macros/{id}': async (request) =>
    ok({ macro: serializer(request)(await getVisibleMacro(callerOf(request), idParam(request))) }),
  'PUT /api/v2/macros/{id}': async (request) =>
    ok({
      macro: serializer(request)(
        await updateMacro(
          callerOf(request),
          idParam(request),
          parseBody(request, macroBody).macro,
          nowTimestamp(),
        ),
      ),
    }),
  'DELETE /api/v2/macros/{id}': async (request) => {
    await deleteMacro(callerOf(request), idParam(request));
    return noContent();
  },
  'GET /api/v2/macros/{id}/apply': async (request) => {
    const preview = await previewMacro(callerOf(request), idParam(request), nowTimestamp());
    return ok({
      result: {
        ticket: {
          ...preview.changes,
          ...(preview.comment ? { comment: serializeMacroComment(preview.comment) } : {}),
        },
      },
    });
  },
  'GET /api/v2/tickets/{ticket_id}/macros/{id}/apply': async (request) => {
    const applied = await applyMacroToTicket(
      callerOf(request),
      idParam(request, 'ticket_id'),
      idParam(request),
      nowTimestamp(),
    );
    return ok({
      result: {
        ticket: serializeTicket(applied.ticket, request.publicUrl),
        ...(applied.comment ? { comment: serializeMacroComment(applied.comment) } : {}),
      },
    });
  },
});
