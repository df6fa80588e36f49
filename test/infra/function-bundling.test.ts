/**
 * CDK bundles a function byte for byte as the bundle-size bench does (both read
 * infra/constructs/lambda-bundling.ts), so the sizes the bench reports are the sizes that ship. An
 * option CDK drops on its way to esbuild (this CDK version ignores its own `charset` prop) fails here.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { lambdaBundleOptions } from '../../infra/constructs/lambda-bundling.ts';
import { PROJECT_ROOT } from '../../infra/constructs/relaydesk-function.ts';
import { synthesize } from './synth.ts';

it('bundles the inbound mail function exactly as the bench measures it', async () => {
  // Bundle only the mail stack: two functions, one of them the largest bundle of all.
  const { stacks, assemblyDirectory } = synthesize({
    context: { 'aws:cdk:bundling-stacks': ['*-Mail'] },
  });
  const code = stacks.mail.node
    .findAll()
    .find((node) => node.node.path.endsWith('/InboundMail/Function/Code'));
  if (!(code instanceof Asset)) throw new Error('the inbound mail function has no code asset');
  const deployed = await readFile(join(assemblyDirectory, code.assetPath, 'index.mjs'));

  const outDir = await mkdtemp(join(tmpdir(), 'relaydesk-bundle-'));
  try {
    await build({
      ...lambdaBundleOptions,
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [join(PROJECT_ROOT, 'functions/mail/receive-inbound-mail.ts')],
      outfile: join(outDir, 'index.mjs'),
      logLevel: 'error',
    });
    const measured = await readFile(join(outDir, 'index.mjs'));
    expect(deployed.length).toBe(measured.length);
    expect(deployed.equals(measured)).toBe(true);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}, 120_000);
