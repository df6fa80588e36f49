/**
 * Seeding step: Zendesk's system ticket fields (subject, description, status, type, priority, group,
 * assignee) with its portal defaults. First in the default content, as forms and views may name them.
 */
import { createSystemTicketFields } from '../use-cases/fields/manage-fields.ts';
import type { SeedStep } from './default-content.ts';

export const seedSystemTicketFields: SeedStep = ({ now }) => createSystemTicketFields(now);
