/**
 * Attachments and original mail (zendesk-api.md: ticket attachments). Bytes go only to staff or to the
 * requester of a ticket whose comment is public; internal-note attachments are 404 to end-users. Files
 * are served as downloads that no browser renders in our origin.
 */
import { NotFoundError } from '../../shared/domain/errors.ts';
import type { ApiRequest, ApiResult } from '../../shared/http/api-request.ts';
import { ok } from '../../shared/http/api-request.ts';
import type { Caller } from '../../shared/http/caller.ts';
import { idParam } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { contentDispositionFor } from '../../shared/mail/inbound/file-names.ts';
import { blobStore } from '../../shared/runtime/blob-store.ts';
import {
  type AttachmentRecord,
  getAttachmentRecord,
  getCommentMailOrigin,
} from '../../shared/store/mail/attachment-records.ts';
import { getTicket } from '../../shared/store/tickets/tickets.ts';

const DOWNLOAD_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': 'sandbox' };

const visibleAttachment = async (request: ApiRequest): Promise<AttachmentRecord> => {
  const caller = request.caller as Caller;
  const record = await getAttachmentRecord(idParam(request));
  if (!record) throw new NotFoundError();
  const ticket = await getTicket(record.ticket_id);
  if (!ticket || ticket.deleted_at !== null) throw new NotFoundError();
  if (caller.role === 'end-user' && !(record.comment_public && ticket.requester_id === caller.userId)) {
    throw new NotFoundError();
  }
  return record;
};

const serializeAttachment = ({ attachment }: AttachmentRecord, publicUrl: string) => ({
  id: attachment.id,
  url: `${publicUrl}/api/v2/attachments/${attachment.id}.json`,
  file_name: attachment.file_name,
  content_url: `${publicUrl}/api/v2/attachments/${attachment.id}/content`,
  mapped_content_url: `${publicUrl}/api/v2/attachments/${attachment.id}/content`,
  content_type: attachment.content_type,
  size: attachment.size,
  inline: attachment.inline ?? false,
  deleted: false,
  malware_access_override: false,
  malware_scan_result: 'not_scanned',
  thumbnails: [],
});

const download = (bytes: Buffer, contentType: string, fileName: string): ApiResult => ({
  statusCode: 200,
  rawBody: bytes,
  headers: {
    'Content-Type': contentType,
    'Content-Disposition': contentDispositionFor(fileName),
    ...DOWNLOAD_HEADERS,
  },
});

export const handler = createRouteGroupHandler('attachments', {
  'GET /api/v2/attachments/{id}': async (request) =>
    ok({ attachment: serializeAttachment(await visibleAttachment(request), request.publicUrl) }),
  'GET /api/v2/attachments/{id}/content': async (request) => {
    const record = await visibleAttachment(request);
    const bytes = await blobStore().get(record.blob_key);
    if (!bytes) throw new NotFoundError();
    return download(bytes, record.attachment.content_type, record.attachment.file_name);
  },
  'GET /api/v2/tickets/{ticket_id}/comments/{id}/original_email': async (request) => {
    const ticketId = idParam(request, 'ticket_id');
    const origin = await getCommentMailOrigin(ticketId, idParam(request));
    if (!origin) throw new NotFoundError();
    const bytes = await blobStore().get(origin.raw_mail_key);
    if (!bytes) throw new NotFoundError();
    return download(bytes, 'message/rfc822', `ticket-${ticketId}-original.eml`);
  },
});
