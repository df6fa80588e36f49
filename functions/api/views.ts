/** The `views` route group: Zendesk's Views API (zendesk-api.md §5.1), definitions and execution. */
import type * as z from 'zod';
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { InvalidRequestError } from '../../shared/domain/errors.ts';
import type { ViewRecord } from '../../shared/domain/views/view.ts';
import { callerOf } from '../../shared/http/actor.ts';
import { type ApiRequest, created, noContent, ok } from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idListParam, idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import {
  viewBody,
  viewListQuery,
  viewOrderBody,
  viewSortQuery,
} from '../../shared/http/schemas/view-input.ts';
import { serializeTicket } from '../../shared/http/serializers/ticket.ts';
import {
  serializeView,
  serializeViewCount,
  serializeViewGroups,
  serializeViewRow,
  viewUrl,
} from '../../shared/http/serializers/view.ts';
import { pageOfSorted } from '../../shared/store/sorted-pages.ts';
import { countView, executeView, withColumnMetrics } from '../../shared/use-cases/views/execute-view.ts';
import {
  createView,
  deleteView,
  getVisibleView,
  listVisibleViews,
  reorderViews,
  updateView,
  viewerOf,
} from '../../shared/use-cases/views/manage-views.ts';
import { pageOfViewTickets } from '../../shared/use-cases/views/view-pages.ts';

/** Zendesk's compact list never holds more than 32 views. */
const COMPACT_LIMIT = 32;

const serializer = (request: ApiRequest) => (view: ViewRecord) => serializeView(view, request.publicUrl);

/** Query parameters are the request's own syntax: a bad one is a 400, not a record error. */
const queryOf = <T>(request: ApiRequest, schema: z.ZodType<T>): T => {
  const parsed = schema.safeParse(Object.fromEntries(request.query));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidRequestError(`${String(issue?.path[0] ?? 'query')}: ${issue?.message ?? 'is not valid'}`);
};

const visibleView = async (request: ApiRequest) =>
  getVisibleView(idParam(request), await viewerOf(callerOf(request)));

const list = (active?: boolean) => async (request: ApiRequest) => {
  const query = queryOf(request, viewListQuery);
  const views = await listVisibleViews(await viewerOf(callerOf(request)), {
    active: active ?? query.active,
    sortBy: query.sort_by,
  });
  return ok(pageEnvelope(request, 'views', pageOfSorted(views, pageRequestOf(request)), serializer(request)));
};

/** The view's matching tickets and the requested page of them. */
const runView = async (request: ApiRequest) => {
  const view = await visibleView(request);
  const result = await executeView(view, callerOf(request), nowTimestamp(), queryOf(request, viewSortQuery));
  return { view, result, page: pageOfViewTickets(result.tickets, result.order, pageRequestOf(request)) };
};

export const handler = createRouteGroupHandler('views', {
  'GET /api/v2/views': list(),
  'GET /api/v2/views/active': list(true),
  'GET /api/v2/views/compact': async (request) => {
    const views = await listVisibleViews(await viewerOf(callerOf(request)), { active: true });
    const compact = views.slice(0, COMPACT_LIMIT).map(serializer(request));
    return ok({ views: compact, next_page: null, previous_page: null, count: compact.length });
  },
  'POST /api/v2/views': async (request) =>
    created({
      view: serializer(request)(await createView(parseBody(request, viewBody).view, nowTimestamp())),
    }),
  'PUT /api/v2/views/reorder': async (request) => {
    const views = await reorderViews(parseBody(request, viewOrderBody), nowTimestamp());
    return ok({ views: views.map(serializer(request)) });
  },
  'GET /api/v2/views/count_many': async (request) => {
    const caller = callerOf(request);
    const viewer = await viewerOf(caller);
    // Ids the caller cannot see, or that name no view, are left out rather than failing the batch.
    const ids = idListParam(request);
    const views = (await listVisibleViews(viewer, {})).filter((view) => ids.includes(view.id));
    // One instant for the batch, so views with the same time conditions count alike.
    const now = nowTimestamp();
    const counts = await Promise.all(
      views.map(async (view) =>
        serializeViewCount(view, await countView(view, caller, now), request.publicUrl),
      ),
    );
    return ok({ view_counts: counts });
  },
  'GET /api/v2/views/{id}': async (request) => ok({ view: serializer(request)(await visibleView(request)) }),
  'PUT /api/v2/views/{id}': async (request) =>
    ok({
      view: serializer(request)(
        await updateView(idParam(request), parseBody(request, viewBody).view, nowTimestamp()),
      ),
    }),
  'DELETE /api/v2/views/{id}': async (request) => {
    await deleteView(idParam(request));
    return noContent();
  },
  'GET /api/v2/views/{id}/execute': async (request) => {
    const { view, result, page } = await runView(request);
    const rows = { ...page, items: await withColumnMetrics(view, page.items) };
    return ok(
      pageEnvelope(request, 'rows', rows, serializeViewRow(view, request.publicUrl), {
        columns: view.execution.columns,
        view: { id: view.id, url: viewUrl(request.publicUrl, view.id) },
        groups: serializeViewGroups(view, result.tickets),
      }),
    );
  },
  'GET /api/v2/views/{id}/tickets': async (request) => {
    const { page } = await runView(request);
    return ok(
      pageEnvelope(request, 'tickets', page, (facts) => serializeTicket(facts.ticket, request.publicUrl)),
    );
  },
  'GET /api/v2/views/{id}/count': async (request) => {
    const view = await visibleView(request);
    return ok({
      view_count: serializeViewCount(
        view,
        await countView(view, callerOf(request), nowTimestamp()),
        request.publicUrl,
      ),
    });
  },
});
