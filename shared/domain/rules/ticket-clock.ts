/**
 * The clock "hours since …" conditions measure by: creation and last update come from the ticket,
 * every other instant (status entries, assignment, requester and assignee updates) from its metrics.
 */
import type { Ticket } from '../tickets/ticket.ts';
import type { TicketMetrics } from '../tickets/ticket-metrics.ts';
import { conditionField, TIME_FIELD_ALIASES } from './condition-fields.ts';
import type { Condition } from './conditions.ts';
import type { TicketClock } from './rule-context.ts';

/** Time fields whose instant is on the ticket itself ("hours since created", "hours since update"). */
const MEASURED_FROM_TICKET: ReadonlySet<string> = new Set(['NEW', 'updated_at']);

/** Whether a condition measures hours from an instant only the ticket's metrics hold. */
export const measuresFromMetrics = ({ field }: Pick<Condition, 'field'>): boolean =>
  conditionField(field)?.kind === 'hours' && !MEASURED_FROM_TICKET.has(TIME_FIELD_ALIASES[field] ?? field);

/** The ticket's clock at `now`; without metrics, only the ticket's own instants are known. */
export const ticketClock = (
  ticket: Pick<Ticket, 'created_at' | 'updated_at'>,
  metrics: TicketMetrics | undefined,
  now: string,
): TicketClock => ({
  now,
  statusEnteredAt: metrics?.status_entered_at ?? {},
  created_at: ticket.created_at,
  updated_at: ticket.updated_at,
  assigned_at: metrics?.assigned_at ?? null,
  requester_updated_at: metrics?.requester_updated_at ?? null,
  assignee_updated_at: metrics?.assignee_updated_at ?? null,
});
