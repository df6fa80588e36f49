/** Ticket metrics (zendesk-api.md §6): kept current by the ticket-metrics consumer. */
import { NotFoundError } from '../../shared/domain/errors.ts';
import { type ApiRequest, ok } from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idParam } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { serializeTicketMetrics } from '../../shared/http/serializers/ticket-metrics.ts';
import { getTicketMetrics, listTicketMetrics } from '../../shared/store/tickets/ticket-metrics.ts';

/** Metric ids equal their ticket's id, so both routes read the same item. */
const showMetrics = async (request: ApiRequest) => {
  const metrics = await getTicketMetrics(idParam(request));
  if (!metrics) throw new NotFoundError();
  return ok({ ticket_metric: serializeTicketMetrics(metrics, request.publicUrl) });
};

export const handler = createRouteGroupHandler('ticket-metrics', {
  'GET /api/v2/ticket_metrics': async (request) => {
    const page = await listTicketMetrics(pageRequestOf(request));
    return ok(
      pageEnvelope(request, 'ticket_metrics', page, (metrics) =>
        serializeTicketMetrics(metrics, request.publicUrl),
      ),
    );
  },
  'GET /api/v2/ticket_metrics/{id}': showMetrics,
  'GET /api/v2/tickets/{id}/metrics': showMetrics,
});
