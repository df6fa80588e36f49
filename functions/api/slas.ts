/**
 * The `slas` route group: Zendesk's SLA Policies API and the ticket metric events export
 * (zendesk-api.md §6). node-zendesk returns these bodies whole.
 */
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { InvalidRequestError } from '../../shared/domain/errors.ts';
import { slaPolicyDefinitions } from '../../shared/domain/sla/sla-definitions.ts';
import { type ApiRequest, created, noContent, ok } from '../../shared/http/api-request.ts';
import { idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import {
  incrementalStartTime,
  slaPolicyBody,
  slaPolicyIds,
  slaPolicyOrderBody,
} from '../../shared/http/schemas/sla-input.ts';
import { serializeSlaPolicy } from '../../shared/http/serializers/sla.ts';
import { exportMetricEvents } from '../../shared/use-cases/sla/export-metric-events.ts';
import {
  createSlaPolicy,
  deleteSlaPolicy,
  getLiveSlaPolicy,
  listSlaPolicies,
  reorderSlaPolicies,
  updateSlaPolicy,
} from '../../shared/use-cases/sla/manage-sla-policies.ts';

const serialize = (request: ApiRequest) => (policy: Parameters<typeof serializeSlaPolicy>[0]) =>
  serializeSlaPolicy(policy, request.publicUrl);

/** Zendesk's reference passes the ids as a query parameter; node-zendesk sends a body. */
const orderOf = (request: ApiRequest): number[] => {
  const query = request.query.get('sla_policy_ids');
  return request.body === undefined && query !== null
    ? slaPolicyIds.parse(query.split(','))
    : parseBody(request, slaPolicyOrderBody).sla_policy_ids;
};

export const handler = createRouteGroupHandler('slas', {
  'GET /api/v2/slas/policies': async (request) => {
    const policies = await listSlaPolicies();
    return ok({
      sla_policies: policies.map(serialize(request)),
      next_page: null,
      previous_page: null,
      count: policies.length,
    });
  },
  'POST /api/v2/slas/policies': async (request) =>
    created({
      sla_policy: serialize(request)(
        await createSlaPolicy(parseBody(request, slaPolicyBody).sla_policy, nowTimestamp()),
      ),
    }),
  'GET /api/v2/slas/policies/definitions': async () => ok({ definitions: slaPolicyDefinitions() }),
  'PUT /api/v2/slas/policies/reorder': async (request) => {
    const policies = await reorderSlaPolicies(orderOf(request), nowTimestamp());
    return ok({ sla_policies: policies.map(serialize(request)), count: policies.length });
  },
  'GET /api/v2/slas/policies/{id}': async (request) =>
    ok({ sla_policy: serialize(request)(await getLiveSlaPolicy(idParam(request))) }),
  'PUT /api/v2/slas/policies/{id}': async (request) =>
    ok({
      sla_policy: serialize(request)(
        await updateSlaPolicy(idParam(request), parseBody(request, slaPolicyBody).sla_policy, nowTimestamp()),
      ),
    }),
  'DELETE /api/v2/slas/policies/{id}': async (request) => {
    await deleteSlaPolicy(idParam(request));
    return noContent();
  },
  'GET /api/v2/incremental/ticket_metric_events': async (request) => {
    const startTime = incrementalStartTime.safeParse(request.query.get('start_time') ?? undefined);
    if (!startTime.success) throw new InvalidRequestError('start_time must be a Unix time in seconds');
    const cursor = request.query.get('cursor') || undefined;
    const page = await exportMetricEvents({ startTime: startTime.data, cursor });
    const next = page.nextCursor
      ? `${request.publicUrl}/api/v2/incremental/ticket_metric_events.json?start_time=${page.endTime}&cursor=${page.nextCursor}`
      : null;
    return ok({
      ticket_metric_events: page.events,
      count: page.events.length,
      end_time: page.endTime,
      next_page: next,
      end_of_stream: next === null,
    });
  },
});
