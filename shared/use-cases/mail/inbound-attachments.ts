/**
 * Stores a mail's files under keys we generate (`attachments/<uuid>`), never the sender's filename,
 * and describes them for the comment and for the attachment records that authorize downloads.
 */
import { randomUUID } from 'node:crypto';
import type { Attachment } from '../../domain/tickets/ticket.ts';
import { sanitizeFileName } from '../../mail/inbound/file-names.ts';
import type { StoredAttachment } from '../../mail/inbound/inbound-mail.ts';
import type { MailFile } from '../../mail/inbound/parse-mail.ts';
import type { BlobStore } from '../../runtime/blob-store.ts';
import { allocateAttachmentIds } from '../../store/mail/attachment-records.ts';

export const attachmentContentUrl = (publicUrl: string, id: number): string =>
  `${publicUrl}/api/v2/attachments/${id}/content`;

export const storeAttachments = async (
  files: readonly MailFile[],
  html: string | undefined,
  blobs: BlobStore,
  publicUrl: string,
): Promise<{ stored: StoredAttachment[]; cidUrls: Map<string, string> }> => {
  const cidUrls = new Map<string, string>();
  if (files.length === 0) return { stored: [], cidUrls };
  const firstId = await allocateAttachmentIds(files.length);
  const stored = await Promise.all(
    files.map(async (file, index) => {
      const id = firstId + index;
      const blobKey = `attachments/${randomUUID()}`;
      await blobs.put(blobKey, file.content, file.contentType);
      const contentUrl = attachmentContentUrl(publicUrl, id);
      const inline = Boolean(file.contentId && html?.includes(`cid:${file.contentId}`));
      if (inline && file.contentId) cidUrls.set(file.contentId, contentUrl);
      const attachment: Attachment = {
        id,
        file_name: sanitizeFileName(file.fileName, inline ? 'image' : 'attachment'),
        content_url: contentUrl,
        content_type: file.contentType,
        size: file.content.length,
        inline,
      };
      return { attachment, blobKey };
    }),
  );
  return { stored, cidUrls };
};
