/**
 * What of a ticket its requester sees through the Requests API (zendesk-api.md §11, §14.1): the values
 * of active custom fields visible in the portal, and the assignee and group only while those system
 * fields are visible there.
 */
import type { CustomFieldValue } from '../tickets/ticket.ts';
import { isCustomTicketField, type TicketField } from './field-definition.ts';
import { systemFieldOf } from './system-ticket-fields.ts';

export interface PortalView {
  customFieldIds: ReadonlySet<number>;
  showsAssignee: boolean;
  showsGroup: boolean;
}

export const portalView = (definitions: readonly TicketField[]): PortalView => ({
  customFieldIds: new Set(
    definitions
      .filter((field) => isCustomTicketField(field) && field.active && field.visible_in_portal)
      .map((field) => field.id),
  ),
  showsAssignee: systemFieldOf(definitions, 'assignee').visible_in_portal,
  showsGroup: systemFieldOf(definitions, 'group').visible_in_portal,
});

export const portalCustomFields = (
  values: readonly CustomFieldValue[],
  view: PortalView,
): CustomFieldValue[] => values.filter((value) => view.customFieldIds.has(value.id));
