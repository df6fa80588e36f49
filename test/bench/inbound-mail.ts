/**
 * Inbound mail to committed ticket: the inbound function's handler called in-process with an SES
 * receipt notification whose raw mail is already in a folder blob store, timed until it returns (the
 * ticket transaction has committed by then), against the runtime's DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.ts';

export interface InboundMailLatency {
  label: string;
  bytes: number;
  samplesMs: number[];
  p50Ms: number;
  p99Ms: number;
}

const ITERATIONS = 40;

const mailOfSize = (bytes: number, index: number): Buffer => {
  const head = [
    `From: Bench Sender ${index} <bench${index}-${randomUUID().slice(0, 8)}@customer.test>`,
    'To: support@relaydesk.test',
    `Subject: Bench ${index}`,
    `Message-ID: <${randomUUID()}@customer.test>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello, the benchmark needs help.',
    '--b',
    'Content-Type: application/octet-stream; name="data.bin"',
    'Content-Transfer-Encoding: base64',
    '',
  ].join('\r\n');
  const padding = Math.max(0, Math.floor(((bytes - head.length - 20) * 3) / 4));
  const body = Buffer.alloc(padding, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(`${head}\r\n${body}\r\n--b--\r\n`);
};

export const measureInboundMail = async (): Promise<InboundMailLatency[]> => {
  const blobDir = await mkdtemp(join(tmpdir(), 'relaydesk-bench-blobs-'));
  process.env.BLOB_DIR = blobDir;
  process.env.MAIL_SECRET ??= 'bench-mail-secret';
  process.env.SUPPORT_ADDRESS = 'support@relaydesk.test';
  try {
    const { handler } = await import('../../functions/mail/receive-inbound-mail.ts');
    const { inboundRecord } = await import('../fixtures/mail/inbound-harness.ts');
    const { lambdaContext } = await import('../support/api-event.ts');
    const results: InboundMailLatency[] = [];
    for (const [label, bytes] of [
      ['10 KB message', 10 * 1024],
      ['2 MB message', 2 * 1024 * 1024],
    ] as const) {
      const samplesMs: number[] = [];
      for (let index = 0; index < ITERATIONS + 3; index++) {
        const record = await inboundRecord(mailOfSize(bytes, index));
        const started = performance.now();
        const result = await handler({ Records: [record] }, lambdaContext());
        const elapsed = performance.now() - started;
        if (result.batchItemFailures.length) throw new Error('inbound mail failed during the benchmark');
        // The first few runs warm the parser and the SDK connections.
        if (index >= 3) samplesMs.push(elapsed);
      }
      results.push({
        label,
        bytes,
        samplesMs,
        p50Ms: percentile(samplesMs, 50),
        p99Ms: percentile(samplesMs, 99),
      });
    }
    return results;
  } finally {
    await rm(blobDir, { recursive: true, force: true });
  }
};
