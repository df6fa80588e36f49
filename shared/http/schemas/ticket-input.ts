/**
 * Ticket and request bodies as Zendesk clients send them. Unknown and read-only fields are ignored, as
 * Zendesk does; known fields with the wrong type are a 422 naming the field.
 */
import * as z from 'zod';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../../domain/tickets/ticket.ts';

export const recordId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const email = z.string().trim().pipe(z.email());

export const personReference = z.union([
  recordId,
  email,
  z.object({ name: z.string().trim().max(255).optional(), email }),
]);

export const commentInput = z
  .object({
    body: z.string().optional(),
    html_body: z.string().optional(),
    public: z.boolean().optional(),
    author_id: recordId.optional(),
  })
  .refine((comment) => Boolean(comment.body?.trim() || comment.html_body?.trim()), {
    message: 'cannot be blank',
    path: ['comment'],
  });

const tag = z.string().trim().min(1).max(80);

/** `[{id, value}]`; each value is checked against its field's definition by the use case. */
const customFieldsInput = z.array(z.object({ id: recordId, value: z.unknown() })).max(500);

export const ticketInput = z.object({
  subject: z.string().max(255).nullable().optional(),
  comment: commentInput.optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).nullable().optional(),
  type: z.enum(TICKET_TYPES).nullable().optional(),
  requester_id: recordId.optional(),
  requester: z
    .object({ name: z.string().trim().max(255).optional(), email, locale_id: z.number().optional() })
    .optional(),
  assignee_id: recordId.nullable().optional(),
  assignee_email: email.optional(),
  group_id: recordId.nullable().optional(),
  organization_id: recordId.nullable().optional(),
  tags: z.array(tag).max(500).optional(),
  /** Zendesk's tag edits on update (what a macro's apply result carries). */
  additional_tags: z.array(tag).max(500).optional(),
  remove_tags: z.array(tag).max(500).optional(),
  /** The macro the update applies (its result, from `/macros/{id}/apply`): named in the audit. */
  macro_id: recordId.optional(),
  custom_fields: customFieldsInput.optional(),
  external_id: z.string().max(255).nullable().optional(),
  collaborator_ids: z.array(recordId).optional(),
  collaborators: z.array(personReference).optional(),
  due_at: z.iso.datetime({ offset: true }).nullable().optional(),
  problem_id: recordId.nullable().optional(),
  /** Null takes the ticket off its form. */
  ticket_form_id: recordId.nullable().optional(),
  safe_update: z.boolean().optional(),
  updated_stamp: z.iso.datetime({ offset: true }).optional(),
  via_followup_source_id: recordId.optional(),
  metadata: z
    .record(z.string(), z.unknown())
    .refine((metadata) => JSON.stringify(metadata).length <= 1024, 'must be at most 1 KB')
    .optional(),
});

export type TicketInput = z.infer<typeof ticketInput>;

export const ticketBody = z.object({ ticket: ticketInput });

export const tagsBody = z.object({
  tags: z.array(tag).max(500),
  safe_update: z.boolean().optional(),
  updated_stamp: z.iso.datetime({ offset: true }).optional(),
});

export const requestCreateBody = z.object({
  request: z.object({
    subject: z.string().max(255).optional(),
    comment: commentInput,
    priority: z.enum(TICKET_PRIORITIES).nullable().optional(),
    type: z.enum(TICKET_TYPES).nullable().optional(),
    collaborators: z.array(personReference).optional(),
    custom_fields: customFieldsInput.optional(),
    ticket_form_id: recordId.optional(),
    via_followup_source_id: recordId.optional(),
  }),
});

export const requestUpdateBody = z.object({
  request: z.object({
    comment: z.object({ body: z.string().optional(), html_body: z.string().optional() }).optional(),
    solved: z.boolean().optional(),
    additional_collaborators: z.array(personReference).optional(),
    custom_fields: customFieldsInput.optional(),
  }),
});
