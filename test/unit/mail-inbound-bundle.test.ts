/**
 * The inbound mail parsing as it ships, not as the other tests import it: bundled with the Lambda
 * options (infra/constructs/lambda-bundling.ts), whose aliases pick one build of libmime and of
 * htmlparser2 and whose UTF-8 output carries the charset tables. The bundle must read every corpus
 * mail exactly as the source does and decode mail in legacy charsets.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaBundleOptions } from '../../infra/constructs/lambda-bundling.ts';
import { parseMail } from '../../shared/mail/inbound/parse-mail.ts';
import { sanitizeInboundHtml } from '../../shared/mail/inbound/sanitize-inbound-html.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = join(PROJECT_ROOT, 'test/fixtures/mail');

interface MailParsing {
  parseMail: typeof parseMail;
  sanitizeInboundHtml: typeof sanitizeInboundHtml;
}

let outDir: string;
let bundled: MailParsing;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'relaydesk-mail-bundle-'));
  const outfile = join(outDir, 'mail-parsing.mjs');
  await build({
    ...lambdaBundleOptions,
    absWorkingDir: PROJECT_ROOT,
    stdin: {
      contents: [
        "export { parseMail } from './shared/mail/inbound/parse-mail.ts';",
        "export { sanitizeInboundHtml } from './shared/mail/inbound/sanitize-inbound-html.ts';",
      ].join('\n'),
      resolveDir: PROJECT_ROOT,
      loader: 'ts',
    },
    outfile,
    logLevel: 'error',
  });
  bundled = (await import(pathToFileURL(outfile).href)) as MailParsing;
}, 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

const corpusFiles = (await readdir(CORPUS)).filter((file) => file.endsWith('.eml')).sort();

/** A one-part mail whose subject (RFC 2047) and body (base64) are both in `charset`. */
const mailIn = (charset: string, subjectHex: string, bodyHex: string, contentType = 'text/plain') => {
  const subject = Buffer.from(subjectHex, 'hex').toString('base64');
  return Buffer.from(
    [
      'From: someone@example.test',
      'To: support@relaydesk.test',
      `Subject: =?${charset}?B?${subject}?=`,
      'MIME-Version: 1.0',
      `Content-Type: ${contentType}; charset=${charset}`,
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(bodyHex, 'hex').toString('base64'),
      '',
    ].join('\r\n'),
  );
};

describe('inbound mail parsing as bundled for Lambda', () => {
  it.each(corpusFiles)('reads %s exactly as the source does', async (file) => {
    const raw = await readFile(join(CORPUS, file));
    const [fromBundle, fromSource] = [await bundled.parseMail(raw), await parseMail(raw)];
    expect(fromBundle).toEqual(fromSource);
    if (fromSource.html) {
      expect(bundled.sanitizeInboundHtml(fromSource.html)).toBe(sanitizeInboundHtml(fromSource.html));
    }
  });

  // Bytes produced by each charset's encoder, and the text they must decode to.
  it.each([
    {
      charset: 'windows-1251',
      subjectHex: 'd1f7b8f2',
      subject: 'Счёт',
      bodyHex: 'd1f7b8f220ede520eff0e8f8b8eb',
      body: 'Счёт не пришёл',
    },
    {
      charset: 'koi8-r',
      subjectHex: 'f0d2c9d7c5d4',
      subject: 'Привет',
      bodyHex: 'f0d2c9d7c5d4',
      body: 'Привет',
    },
    {
      charset: 'big5',
      subjectHex: 'ad71b3e6',
      subject: '訂單',
      bodyHex: 'ad71b3e6b0ddc344',
      body: '訂單問題',
    },
    {
      charset: 'euc-kr',
      subjectHex: 'c1d6b9ae',
      subject: '주문',
      bodyHex: 'c1d6b9ae20b9aec1a6',
      body: '주문 문제',
    },
    {
      charset: 'euc-jp',
      subjectHex: 'c0c1b5e1bdf1',
      subject: '請求書',
      bodyHex: 'c0c1b5e1bdf1a4acc6cfa4ada4dea4bba4f3',
      body: '請求書が届きません',
    },
  ])(
    'decodes the subject and body of a $charset mail',
    async ({ charset, subjectHex, subject, bodyHex, body }) => {
      const parsed = await bundled.parseMail(mailIn(charset, subjectHex, bodyHex));
      expect(parsed.subject).toBe(subject);
      expect(parsed.text).toBe(body);
    },
  );

  it('types an attachment sent without a Content-Type from its file name', async () => {
    const raw = Buffer.from(
      [
        'From: someone@example.test',
        'To: support@relaydesk.test',
        'Subject: Report',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'See attached.',
        '--b',
        'Content-Disposition: attachment; filename="report.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('%PDF-1.4').toString('base64'),
        '--b--',
        '',
      ].join('\r\n'),
    );
    const parsed = await bundled.parseMail(raw);
    expect(parsed.attachments).toEqual([
      expect.objectContaining({ fileName: 'report.pdf', contentType: 'application/pdf' }),
    ]);
  });

  it('derives the text of an HTML-only windows-1251 mail and sanitizes its HTML', async () => {
    const html = Buffer.concat([
      Buffer.from('<p>'),
      Buffer.from('d1f7b8f220ede520eff0e8f8b8eb', 'hex'),
      Buffer.from('</p><script>alert(1)</script>'),
    ]).toString('hex');
    const parsed = await bundled.parseMail(mailIn('windows-1251', 'd1f7b8f2', html, 'text/html'));
    expect(parsed.text).toBe('Счёт не пришёл');
    expect(bundled.sanitizeInboundHtml(parsed.html ?? '')).toBe('<p>Счёт не пришёл</p>');
  });
});
