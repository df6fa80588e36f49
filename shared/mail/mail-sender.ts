/**
 * The port outbound mail leaves through: a raw MIME message we built ourselves (so threading headers are
 * ours and testable) handed to SES. SES replaces the Message-ID; it returns its own id, which callers
 * record too so replies quoting it still thread.
 */
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';

export interface OutgoingMail {
  /** The complete RFC 5322 message. */
  raw: Buffer;
  from: string;
  to: readonly string[];
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<{ providerMessageId: string }>;
}

/** SES assigns `<{id}@{region}.amazonses.com>` as the Message-ID of what it sends. */
export const sesMessageIdHeader = (
  sesMessageId: string,
  region = process.env.AWS_REGION ?? 'us-east-1',
): string => `<${sesMessageId}@${region}.amazonses.com>`;

export class SesMailSender implements MailSender {
  constructor(private readonly client = new SESClient({})) {}

  async send(mail: OutgoingMail): Promise<{ providerMessageId: string }> {
    const result = await this.client.send(
      new SendRawEmailCommand({
        RawMessage: { Data: mail.raw },
        Source: mail.from,
        Destinations: [...mail.to],
        ...(process.env.SES_CONFIGURATION_SET
          ? { ConfigurationSetName: process.env.SES_CONFIGURATION_SET }
          : {}),
      }),
    );
    if (!result.MessageId) throw new Error('SES accepted the mail but returned no MessageId');
    return { providerMessageId: result.MessageId };
  }
}
