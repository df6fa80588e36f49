/** Suspended tickets (Zendesk's `suspended_tickets`): mail kept for review, which agents recover or delete. */
import { nowTimestamp } from '../../shared/domain/clock.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { noContent, ok } from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idParam } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { serializeTicket } from '../../shared/http/serializers/ticket.ts';
import { getMailSecret } from '../../shared/mail/mail-secret.ts';
import { blobStore } from '../../shared/runtime/blob-store.ts';
import {
  deleteSuspendedMail,
  getSuspendedMail,
  listSuspendedMail,
  type SuspendedMail,
} from '../../shared/store/mail/suspended-mail.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';
import { recoverSuspendedMail } from '../../shared/use-cases/mail/recover-suspended-mail.ts';

const serializeSuspended = (mail: SuspendedMail, publicUrl: string) => ({
  id: mail.id,
  url: `${publicUrl}/api/v2/suspended_tickets/${mail.id}.json`,
  author: { name: mail.author.name, ...(mail.author.email ? { email: mail.author.email } : {}) },
  subject: mail.subject,
  content: mail.content,
  cause: mail.cause,
  cause_id: mail.cause_id,
  message_id: mail.message_id,
  ...(mail.ticket_id === null ? {} : { ticket_id: mail.ticket_id }),
  recipient: mail.recipient,
  attachments: mail.attachments,
  error_messages: null,
  via: {
    channel: 'email',
    source: {
      from: { address: mail.author.email, name: mail.author.name },
      to: { address: mail.recipient },
      rel: null,
    },
  },
  created_at: mail.created_at,
  updated_at: mail.updated_at,
});

const readSuspended = async (id: number): Promise<SuspendedMail> => {
  const mail = await getSuspendedMail(id);
  if (!mail) throw new NotFoundError();
  return mail;
};

export const handler = createRouteGroupHandler('suspended-tickets', {
  'GET /api/v2/suspended_tickets': async (request) =>
    ok(
      pageEnvelope(request, 'suspended_tickets', await listSuspendedMail(pageRequestOf(request)), (mail) =>
        serializeSuspended(mail, request.publicUrl),
      ),
    ),
  'GET /api/v2/suspended_tickets/{id}': async (request) =>
    ok({ suspended_ticket: serializeSuspended(await readSuspended(idParam(request)), request.publicUrl) }),
  'PUT /api/v2/suspended_tickets/{id}/recover': async (request) => {
    const ticketId = await recoverSuspendedMail(idParam(request), {
      blobs: blobStore(),
      mailSecret: await getMailSecret(),
      now: nowTimestamp,
      publicUrl: request.publicUrl,
    });
    const ticket = ticketId === undefined ? undefined : await getTicket(ticketId);
    return ok({ ticket: ticket ? serializeTicket(ticket, request.publicUrl) : null });
  },
  'DELETE /api/v2/suspended_tickets/{id}': async (request) => {
    if (!(await deleteSuspendedMail(idParam(request)))) throw new NotFoundError();
    return noContent();
  },
});
