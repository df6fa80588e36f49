/** The current portal view of tickets (one byKind Query), read per request so a definition change shows at once. */
import type { TicketField } from '../../domain/fields/field-definition.ts';
import { type PortalView, portalView } from '../../domain/fields/portal-view.ts';
import { allDefinitions } from '../../store/fields/field-definitions.ts';

export const currentPortalView = async (): Promise<PortalView> =>
  portalView(await allDefinitions<TicketField>('ticket_field'));
