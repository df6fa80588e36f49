/** Ticket metrics on the wire: Zendesk's TicketMetricObject. */
import type { TicketMetrics } from '../../domain/tickets/ticket-metrics.ts';

export const serializeTicketMetrics = (metrics: TicketMetrics, publicUrl: string) => {
  const { computed_from_audit_id: _audit, status_entered_at: _entered, ...wire } = metrics;
  return { url: `${publicUrl}/api/v2/ticket_metrics/${metrics.id}.json`, ...wire };
};
