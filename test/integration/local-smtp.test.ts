/**
 * The local SMTP listener as SES's stand-in: real mail over SMTP (nodemailer) becomes a raw object under
 * inbound/ and an SES receipt notification, wrapped as SNS delivers it, on the mail ingress queue.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventFabric } from '../../infra/local/event-fabric.ts';
import { createLocalMailReceipt, localVerdicts } from '../../infra/local/local-mail-receipt.ts';
import { freePort, PortInUseError } from '../../infra/local/ports.ts';
import { MAX_MESSAGE_BYTES, type SmtpListener, startSmtpListener } from '../../infra/local/smtp-listener.ts';
import { mailIngress } from '../../infra/topology.ts';
import { sesReceiptNotification, snsEnvelope } from '../../shared/mail/ses-notification.ts';
import { FolderBlobStore } from '../../shared/runtime/blob-store.ts';

const SUPPORT = 'support@relaydesk.local';
const SIZE_LIMIT = 64 * 1024;

let dir: string;
let fabric: EventFabric;
let blobs: FolderBlobStore;
let listener: SmtpListener;
let failStore = false;

const transport = () =>
  nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });

const queued = () => fabric.queue(mailIngress.name).pending;
const notificationOf = (body: string) =>
  sesReceiptNotification.parse(JSON.parse(snsEnvelope.parse(JSON.parse(body)).Message));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relaydesk-smtp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  const run = await mkdtemp(join(dir, 'run-'));
  blobs = new FolderBlobStore(join(run, 'blobs'));
  failStore = false;
  fabric = await EventFabric.open({
    consumers: [],
    notificationConsumers: [mailIngress],
    queueDir: join(run, 'queues'),
    load: async () => {
      throw new Error('not delivered in these tests');
    },
  });
  const receive = createLocalMailReceipt({
    blobs: {
      put: (key, body) => (failStore ? Promise.reject(new Error('disk full')) : blobs.put(key, body)),
      get: (key) => blobs.get(key),
    },
    enqueue: (bodies) => fabric.enqueue(mailIngress.name, bodies),
    now: () => new Date('2026-03-01T10:00:00.000Z'),
  });
  listener = await startSmtpListener({
    port: await freePort(),
    portVariable: 'RELAYDESK_SMTP_PORT',
    supportAddress: SUPPORT,
    maxMessageBytes: SIZE_LIMIT,
    receive,
    onError: () => {},
  });
});
afterEach(async () => {
  await listener.stop();
});

describe('the local SMTP listener', () => {
  it('stores the raw mail under inbound/<id> and enqueues the SES receipt notification in an SNS envelope', async () => {
    const info = await transport().sendMail({
      envelope: { from: 'customer@example.test', to: [SUPPORT] },
      from: 'Casey Customer <customer@example.test>',
      to: SUPPORT,
      subject: 'Printer on fire',
      text: 'It broke.',
    });
    const id = /queued as ([0-9a-f]{40})/.exec(info.response)?.[1];
    expect(id).toBeDefined();

    expect(queued()).toHaveLength(1);
    const notification = notificationOf(queued()[0]?.body ?? '');
    expect(notification).toEqual({
      notificationType: 'Received',
      mail: {
        timestamp: '2026-03-01T10:00:00.000Z',
        messageId: id,
        source: 'customer@example.test',
        destination: [SUPPORT],
      },
      receipt: {
        timestamp: '2026-03-01T10:00:00.000Z',
        recipients: [SUPPORT],
        spamVerdict: { status: 'PASS' },
        virusVerdict: { status: 'PASS' },
        spfVerdict: { status: 'PASS' },
        dkimVerdict: { status: 'PASS' },
        dmarcVerdict: { status: 'PASS' },
        action: { type: 'S3', bucketName: 'local', objectKey: `inbound/${id}` },
      },
    });

    const raw = (await blobs.get(`inbound/${id}`))?.toString('utf8') ?? '';
    // As SES stores it: the envelope sender as Return-Path and a Received line on top of the message.
    expect(raw).toMatch(/^Return-Path: <customer@example\.test>\r\nReceived: from /);
    expect(raw).toContain('Subject: Printer on fire');
    expect(raw).toContain('It broke.');
  });

  it('accepts the +token reply addresses, in any case, and records the envelope recipients', async () => {
    const reply = 'Support+AbCdEfGhIjKlMnOpQrStUvWx@RelayDesk.local';
    await transport().sendMail({
      envelope: { from: 'customer@example.test', to: [reply] },
      from: 'customer@example.test',
      to: reply,
      subject: 'Re: Printer on fire',
      text: 'Still broken.',
    });
    const notification = notificationOf(queued()[0]?.body ?? '');
    // Addresses compare case-insensitively (the client may lower-case the domain).
    expect(notification.mail.destination.map((a) => a.toLowerCase())).toEqual([reply.toLowerCase()]);
    expect(notification.receipt.recipients.map((a) => a.toLowerCase())).toEqual([reply.toLowerCase()]);
  });

  it('takes the null reverse-path of a bounce as an empty source', async () => {
    await transport().sendMail({
      envelope: { from: '', to: [SUPPORT] },
      from: 'MAILER-DAEMON@example.test',
      to: SUPPORT,
      subject: 'Undelivered Mail Returned to Sender',
      text: 'Bounce.',
    });
    const notification = notificationOf(queued()[0]?.body ?? '');
    expect(notification.mail.source).toBe('');
    const raw = await blobs.get(notification.receipt.action.objectKey);
    expect(raw?.toString('utf8')).toMatch(/^Return-Path: <>\r\n/);
  });

  it('sets the verdicts a mail asks for in X-Relaydesk-Local-Verdicts, PASS for the rest', async () => {
    await transport().sendMail({
      envelope: { from: 'spoofer@example.test', to: [SUPPORT] },
      from: 'ceo@example.test',
      to: SUPPORT,
      subject: 'Wire money',
      text: 'Now.',
      headers: { 'X-Relaydesk-Local-Verdicts': 'spf=fail; dkim=fail; dmarc=fail; spam=pass; virus=pass' },
    });
    const { receipt } = notificationOf(queued()[0]?.body ?? '');
    expect(receipt.spfVerdict.status).toBe('FAIL');
    expect(receipt.dkimVerdict.status).toBe('FAIL');
    expect(receipt.dmarcVerdict.status).toBe('FAIL');
    expect(receipt.spamVerdict.status).toBe('PASS');
    expect(receipt.virusVerdict.status).toBe('PASS');
  });

  it('refuses other recipients with 550 and keeps nothing', async () => {
    const error = await transport()
      .sendMail({
        envelope: { from: 'customer@example.test', to: ['sales@relaydesk.local'] },
        from: 'customer@example.test',
        to: 'sales@relaydesk.local',
        subject: 'Hello',
        text: 'Hi.',
      })
      .then(
        () => undefined,
        (caught: { responseCode?: number }) => caught,
      );
    expect(error?.responseCode).toBe(550);
    for (const stranger of ['support@elsewhere.test', 'supportx@relaydesk.local']) {
      await expect(
        transport().sendMail({ envelope: { from: 'a@example.test', to: [stranger] }, text: 'x' }),
      ).rejects.toMatchObject({ responseCode: 550 });
    }
    expect(queued()).toEqual([]);
  });

  it('delivers to the support address only when a mail names it and a stranger', async () => {
    const info = await transport().sendMail({
      envelope: { from: 'customer@example.test', to: [SUPPORT, 'sales@relaydesk.local'] },
      from: 'customer@example.test',
      to: [SUPPORT, 'sales@relaydesk.local'],
      subject: 'Both',
      text: 'Hi.',
    });
    expect(info.rejected).toEqual(['sales@relaydesk.local']);
    expect(notificationOf(queued()[0]?.body ?? '').mail.destination).toEqual([SUPPORT]);
  });

  it('refuses a mail over the size limit with 552 and keeps nothing', async () => {
    await expect(
      transport().sendMail({
        envelope: { from: 'customer@example.test', to: [SUPPORT] },
        subject: 'Huge',
        text: 'x'.repeat(SIZE_LIMIT + 1024),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(queued()).toEqual([]);
  });

  it('answers 451 (try again) when the mail cannot be stored, and enqueues nothing', async () => {
    failStore = true;
    await expect(
      transport().sendMail({ envelope: { from: 'a@example.test', to: [SUPPORT] }, text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 451 });
    expect(queued()).toEqual([]);
  });
});

describe('listener limits and ports', () => {
  const ehlo = (port: number): Promise<string> =>
    new Promise((resolve, reject) => {
      let text = '';
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('data', (chunk) => {
        text += chunk.toString();
        if (text.startsWith('220') && !text.includes('EHLO-SENT')) {
          text += 'EHLO-SENT';
          socket.write('EHLO test.example\r\n');
        }
        if (/\r\n250 [^\r\n]*\r\n$/.test(text)) {
          socket.end('QUIT\r\n');
          resolve(text);
        }
      });
      socket.on('error', reject);
    });

  it('advertises SES’s 40 MB limit and no AUTH or STARTTLS by default', async () => {
    const port = await freePort();
    const plain = await startSmtpListener({
      port,
      portVariable: 'RELAYDESK_SMTP_PORT',
      supportAddress: SUPPORT,
      receive: async () => 'unused',
    });
    try {
      const reply = await ehlo(port);
      expect(MAX_MESSAGE_BYTES).toBe(40 * 1024 * 1024);
      expect(reply).toContain(`SIZE ${MAX_MESSAGE_BYTES}`);
      expect(reply).not.toContain('STARTTLS');
      expect(reply).not.toContain('AUTH');
    } finally {
      await plain.stop();
    }
  });

  it('refuses a busy port naming RELAYDESK_SMTP_PORT', async () => {
    const port = await freePort();
    const blocker: Server = await new Promise((resolve) => {
      const server = createServer();
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
    try {
      await expect(
        startSmtpListener({
          port,
          portVariable: 'RELAYDESK_SMTP_PORT',
          supportAddress: SUPPORT,
          receive: async () => 'unused',
        }),
      ).rejects.toThrow(new PortInUseError(port, 'RELAYDESK_SMTP_PORT'));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('localVerdicts (the local adapter only)', () => {
  const mail = (headers: string) =>
    Buffer.from(`${headers}\r\nSubject: x\r\n\r\nX-Relaydesk-Local-Verdicts: spf=fail\r\n`);

  it.each([
    ['no header', '', { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' }],
    [
      'a folded header, any case',
      'x-relaydesk-local-verdicts: SPF=Fail;\r\n dkim=gray; spam=FAIL',
      { spf: 'FAIL', dkim: 'GRAY', dmarc: 'PASS', spam: 'FAIL', virus: 'PASS' },
    ],
    [
      'processing failures',
      'X-Relaydesk-Local-Verdicts: dmarc=processing_failed; virus=fail',
      { spf: 'PASS', dkim: 'PASS', dmarc: 'PROCESSING_FAILED', spam: 'PASS', virus: 'FAIL' },
    ],
    [
      'unknown names and values (ignored)',
      'X-Relaydesk-Local-Verdicts: arc=fail; spf=maybe; dkim',
      { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' },
    ],
  ])('reads %s; never the body', (_case, headers, expected) => {
    expect(localVerdicts(mail(headers || 'From: a@example.test'))).toEqual(expected);
  });
});

describe('the mail ingress queue in the event fabric', () => {
  it('delivers enqueued notifications to the inbound function as SQS records, and no bus event reaches it', async () => {
    const run = await mkdtemp(join(dir, 'fabric-'));
    const bodies: string[] = [];
    const ingress = await EventFabric.open({
      consumers: [],
      notificationConsumers: [mailIngress],
      queueDir: run,
      load: async (entry) => {
        expect(entry).toBe(mailIngress.entry);
        return {
          handler: async (event: { Records: { body: string; eventSource: string }[] }) => {
            for (const record of event.Records) {
              expect(record.eventSource).toBe('aws:sqs');
              bodies.push(record.body);
            }
            return { batchItemFailures: [] };
          },
        };
      },
    });
    await ingress.publish([
      {
        source: 'relaydesk.tickets',
        detailType: 'comment.added',
        detail: {},
        time: new Date().toISOString(),
      },
    ]);
    expect(ingress.queue(mailIngress.name).pending).toEqual([]);
    await ingress.enqueue(mailIngress.name, ['{"Type":"Notification"}']);
    expect(await ingress.deliverDue()).toBe(1);
    expect(bodies).toEqual(['{"Type":"Notification"}']);
    expect(ingress.queue(mailIngress.name).pending).toEqual([]);
    await ingress.stop();
  });
});
