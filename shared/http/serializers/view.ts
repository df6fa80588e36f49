/** Views on the wire: Zendesk's ViewObject, execute rows, and view counts. */
import type { ViewRecord } from '../../domain/views/view.ts';
import type { TicketFacts } from '../../domain/views/view-columns.ts';
import { storedColumn } from '../../domain/views/view-definition.ts';
import type { ViewCount } from '../../use-cases/views/execute-view.ts';
import { ticketUrl } from './ticket.ts';

export const viewUrl = (publicUrl: string, id: number): string => `${publicUrl}/api/v2/views/${id}.json`;

const columnTitle = (view: ViewRecord, id: ViewRecord['execution']['sort_by']): string =>
  view.execution.columns.find((column) => column.id === id)?.title ?? String(id);

const serializeRestriction = (restriction: ViewRecord['restriction']) => {
  if (restriction === null) return null;
  if (restriction.type === 'User') return { type: 'User', id: restriction.id };
  // Zendesk keeps `id` (the first group) beside `ids` for clients that read only one.
  return { type: 'Group', id: restriction.ids[0], ids: restriction.ids };
};

export const serializeView = (view: ViewRecord, publicUrl: string) => {
  const { execution } = view;
  return {
    id: view.id,
    url: viewUrl(publicUrl, view.id),
    title: view.title,
    raw_title: view.title,
    description: view.description,
    active: view.active,
    position: view.position,
    default: view.default,
    restriction: serializeRestriction(view.restriction),
    conditions: view.conditions,
    execution: {
      group_by: execution.group_by,
      group_order: execution.group_order,
      sort_by: execution.sort_by,
      sort_order: execution.sort_order,
      group:
        execution.group_by === null
          ? null
          : {
              id: execution.group_by,
              order: execution.group_order,
              title: columnTitle(view, execution.group_by),
            },
      sort: {
        id: execution.sort_by,
        order: execution.sort_order,
        title: columnTitle(view, execution.sort_by),
      },
      columns: execution.columns,
    },
    created_at: view.created_at,
    updated_at: view.updated_at,
  };
};

/** One execute row: the partial ticket Zendesk includes, then each column's value under its row key. */
export const serializeViewRow = (view: ViewRecord, publicUrl: string) => (facts: TicketFacts) => {
  const { ticket } = facts;
  const row: Record<string, unknown> = {
    ticket: {
      id: ticket.id,
      url: ticketUrl(publicUrl, ticket.id),
      subject: ticket.subject,
      description: ticket.description,
      status: ticket.status,
      type: ticket.type,
      priority: ticket.priority,
    },
  };
  for (const column of view.execution.columns) {
    const definition = storedColumn(view.execution, column.id);
    if (definition) row[definition.rowKey] = definition.value(facts);
  }
  return row;
};

export const serializeViewCount = (view: ViewRecord, count: ViewCount, publicUrl: string) => ({
  view_id: view.id,
  url: `${publicUrl}/api/v2/views/${view.id}/count.json`,
  value: count.value,
  pretty: count.pretty,
  fresh: true,
  active: view.active,
});

/** Relaydesk's `groups` for a grouped view: each group value in view order, with its ticket count. */
export const serializeViewGroups = (view: ViewRecord, tickets: readonly TicketFacts[]) => {
  const groupBy = view.execution.group_by;
  const column = groupBy === null ? undefined : storedColumn(view.execution, groupBy);
  if (!column) return [];
  const groups = new Map<string, { id: unknown; count: number }>();
  for (const facts of tickets) {
    const value = column.value(facts) ?? null;
    const group = groups.get(JSON.stringify(value)) ?? { id: value, count: 0 };
    group.count += 1;
    groups.set(JSON.stringify(value), group);
  }
  return [...groups.values()];
};
