/**
 * Field and form definition bodies as Zendesk clients send them. Only the shape is checked here; what
 * makes a definition valid (known type, options, regexp, key) is the domain's, which names the field.
 */
import * as z from 'zod';
import { recordId } from './ticket-input.ts';

const optionInput = z.object({
  id: recordId.optional(),
  name: z.string().max(255),
  value: z.string().max(255).optional(),
  default: z.boolean().optional(),
});

const definitionInput = {
  type: z.string().optional(),
  title: z.string().max(255).optional(),
  description: z.string().max(1000).optional(),
  position: z.number().int().min(0).optional(),
  active: z.boolean().optional(),
  regexp_for_validation: z.string().nullable().optional(),
  tag: z.string().max(80).nullable().optional(),
  custom_field_options: z.array(optionInput).max(2000).optional(),
};

export const ticketFieldBody = z.object({
  ticket_field: z.object({
    ...definitionInput,
    required: z.boolean().optional(),
    required_in_portal: z.boolean().optional(),
    visible_in_portal: z.boolean().optional(),
    editable_in_portal: z.boolean().optional(),
    title_in_portal: z.string().max(255).optional(),
  }),
});

export const userFieldBody = z.object({
  user_field: z.object({ ...definitionInput, key: z.string().optional() }),
});

export const organizationFieldBody = z.object({
  organization_field: z.object({ ...definitionInput, key: z.string().optional() }),
});

export const customFieldOptionBody = z.object({ custom_field_option: optionInput });

export const ticketFormBody = z.object({
  ticket_form: z.object({
    name: z.string().max(255).optional(),
    display_name: z.string().max(255).optional(),
    position: z.number().int().min(0).optional(),
    active: z.boolean().optional(),
    default: z.boolean().optional(),
    end_user_visible: z.boolean().optional(),
    ticket_field_ids: z.array(recordId).max(400).optional(),
  }),
});
