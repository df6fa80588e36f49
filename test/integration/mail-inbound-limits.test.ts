import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/mail/receive-inbound-mail.ts';
import { listComments } from '../../shared/store/tickets/tickets.ts';
import { composeMail, inboundRecord, receive } from '../fixtures/mail/inbound-harness.ts';
import { lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { asFunction } from '../support/function-grants.ts';

useTestTables();

const HEAD =
  'From: Big <big@mail.test>\r\nTo: support@relaydesk.test\r\nSubject: Big\r\nMIME-Version: 1.0\r\n';

const commentOf = async (outcome: Awaited<ReturnType<typeof receive>>) => {
  if (outcome.kind !== 'ticket_created') throw new Error(`expected a ticket, got ${JSON.stringify(outcome)}`);
  return (await listComments(outcome.ticketId, { mode: 'cursor', size: 10, descending: false })).items[0];
};

describe('inbound mail limits', () => {
  it('a 39 MB message becomes a ticket with its text, attachments dropped and marked truncated', async () => {
    const attachment = Buffer.alloc(29 * 1024 * 1024, 'A')
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    const raw = `${HEAD}Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the dump.\r\n--b\r\nContent-Type: application/octet-stream; name="dump.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b--\r\n`;
    expect(raw.length).toBeGreaterThan(38 * 1024 * 1024);
    const started = Date.now();
    const comment = await commentOf(await receive(raw));
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(comment).toMatchObject({ body: 'See the dump.', attachments: [], mail: { truncated: true } });
  }, 60_000);

  it('100,000 MIME parts are cut at the part limit and marked truncated', async () => {
    const parts = Array.from(
      { length: 100_000 },
      (_, i) => `--p\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`,
    ).join('');
    const comment = await commentOf(
      await receive(`${HEAD}Content-Type: multipart/mixed; boundary="p"\r\n\r\n${parts}--p--\r\n`),
    );
    expect(comment?.body).toContain('part 0');
    expect(comment?.mail?.truncated).toBe(true);
  }, 60_000);

  it('100-deep nesting is cut at the multipart limit', async () => {
    let body = 'Content-Type: text/plain\r\n\r\ndeep text\r\n';
    for (let depth = 100; depth > 0; depth--) {
      body = `Content-Type: multipart/mixed; boundary="d${depth}"\r\n\r\n--d${depth}\r\n${body}--d${depth}--\r\n`;
    }
    const outcome = await receive(`${HEAD}${body}`);
    expect(['ticket_created', 'suspended']).toContain(outcome.kind);
    if (outcome.kind === 'ticket_created') expect((await commentOf(outcome))?.mail?.truncated).toBe(true);
  }, 60_000);

  it('a 1 MB header line is dropped and the mail still becomes a ticket', async () => {
    const raw = composeMail({ headers: [`X-Junk: ${'x'.repeat(1024 * 1024)}`], body: 'Short text' });
    const comment = await commentOf(await receive(raw));
    expect(comment).toMatchObject({ body: 'Short text', mail: { truncated: true } });
  });

  it('a 1 MB Subject line is dropped with it: the ticket has no subject', async () => {
    const raw = composeMail({ subject: 's'.repeat(1024 * 1024) });
    const outcome = await receive(raw);
    expect(outcome.kind).toBe('ticket_created');
  });

  it('any bytes given as mail produce an outcome, never an exception out of the handler', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }),
          fc.string({ maxLength: 500 }).map((text) => new TextEncoder().encode(composeMail({ body: text }))),
          fc.string({ maxLength: 500 }).map((header) => new TextEncoder().encode(`${header}\r\n\r\nbody`)),
        ),
        async (bytes) => {
          const record = await inboundRecord(Buffer.from(bytes));
          const result = await asFunction('receive-inbound-mail', () =>
            handler({ Records: [record] }, lambdaContext()),
          );
          expect(result.batchItemFailures).toEqual([]);
        },
      ),
      { numRuns: 50 },
    );
  }, 120_000);
});
