import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** Packages only the inbound mail function may bundle: the MIME parser, its charset tables, the sanitizer. */
const MAIL_PARSING = /node_modules\/(?:mailparser|sanitize-html|iconv-lite|libmime|encoding-japanese)\//;

const bundledPackages = async (entry: string): Promise<string[]> => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).filter((input) => MAIL_PARSING.test(input));
};

describe('function bundles', () => {
  it('keep the MIME parser and the HTML sanitizer out of the suspended-tickets function', async () => {
    expect(await bundledPackages('functions/api/suspended-tickets.ts')).toEqual([]);
  }, 30_000);

  it('finds them in the inbound function, which needs them', async () => {
    expect(await bundledPackages('functions/mail/receive-inbound-mail.ts')).not.toEqual([]);
  }, 30_000);
});
