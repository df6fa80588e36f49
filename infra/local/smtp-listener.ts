/**
 * The local stand-in for SES's inbound MX: an SMTP server on 127.0.0.1 that accepts mail for the support
 * address and its `+token` reply addresses (550 for anyone else, as an MX with no such mailbox would),
 * up to SES's 40 MB message limit. Loopback only, so no AUTH and no STARTTLS.
 */
import type { Readable } from 'node:stream';
import smtpServer from 'smtp-server';
import { isOwnAddress, normalizeAddress } from '../../shared/mail/addresses.ts';
import type { SmtpEnvelope } from './local-mail-receipt.ts';
import { PortInUseError } from './ports.ts';

// smtp-server is CommonJS; Node's ESM loader only sees its default export.
const { SMTPServer } = smtpServer;

/** SES rejects received messages over 40 MB (headers included). */
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

export interface SmtpListenerOptions {
  port: number;
  portVariable: string;
  supportAddress: string;
  /** Called once per complete, accepted mail; resolves with the id to report in the 250 reply. */
  receive: (raw: Buffer, envelope: SmtpEnvelope) => Promise<string>;
  maxMessageBytes?: number;
  onError?: (message: string, error: unknown) => void;
}

export interface SmtpListener {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** An error smtp-server sends to the client with this reply code. */
const smtpError = (responseCode: number, message: string): Error =>
  Object.assign(new Error(message), { responseCode });

/** Reads the whole DATA stream (the client must be drained) but keeps no more than `limit` bytes. */
const readAll = async (stream: Readable, limit: number): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of stream) {
    if (kept > limit) continue;
    chunks.push(chunk as Buffer);
    kept += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks);
};

export const startSmtpListener = (options: SmtpListenerOptions): Promise<SmtpListener> => {
  const maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const logError =
    options.onError ?? ((message: string, error: unknown) => console.error(`[smtp] ${message}`, error));
  const server = new SMTPServer({
    name: 'relaydesk.local',
    banner: 'Relaydesk local SMTP (mail becomes tickets)',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxMessageBytes,
    disableReverseLookup: true,
    logger: false,
    // Waiting out a client that holds its connection open would delay Ctrl-C.
    closeTimeout: 2_000,
    onRcptTo(address, _session, callback) {
      const recipient = normalizeAddress(address.address);
      if (recipient && isOwnAddress(recipient, options.supportAddress)) callback();
      else callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
    },
    onData(stream, session, callback) {
      readAll(stream, maxMessageBytes)
        .then(async (raw) => {
          if (stream.sizeExceeded) {
            throw smtpError(552, `5.3.4 Message exceeds the ${maxMessageBytes}-byte limit`);
          }
          const envelope: SmtpEnvelope = {
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
            clientHostname: session.clientHostname,
            remoteAddress: session.remoteAddress,
          };
          try {
            return await options.receive(raw, envelope);
          } catch (error) {
            logError('could not accept a message', error);
            throw smtpError(451, '4.3.0 Could not store the message; try again later');
          }
        })
        .then(
          (id) => callback(null, `2.0.0 Ok: queued as ${id}`),
          (error: Error) => callback(error),
        );
    },
  });
  return new Promise((resolve, reject) => {
    let listening = false;
    // smtp-server re-emits the listening socket's errors; before listen succeeds they are start-up failures.
    server.on('error', (error: NodeJS.ErrnoException) => {
      if (listening) logError('connection error', error);
      else
        reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port, options.portVariable) : error);
    });
    server.listen(options.port, '127.0.0.1', () => {
      listening = true;
      resolve({
        host: '127.0.0.1',
        port: options.port,
        stop: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
};
