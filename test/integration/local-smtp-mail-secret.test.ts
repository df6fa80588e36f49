import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateMailSecret, mailSecretFile } from '../../infra/local/mail-secret-file.ts';

describe('the local Message-ID key', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relaydesk-secret-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is 32 random bytes made on first start, owner-only, and the same after a restart', async () => {
    const first = await loadOrCreateMailSecret(dataDir);
    expect(Buffer.from(first, 'base64url')).toHaveLength(32);
    expect((await stat(mailSecretFile(dataDir))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateMailSecret(dataDir)).toBe(first);
    expect((await readFile(mailSecretFile(dataDir), 'utf8')).trim()).toBe(first);
  });

  it('differs between data folders', async () => {
    const other = await mkdtemp(join(tmpdir(), 'relaydesk-secret-'));
    try {
      expect(await loadOrCreateMailSecret(other)).not.toBe(await loadOrCreateMailSecret(dataDir));
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('replaces an empty file instead of signing with an empty key', async () => {
    await writeFile(mailSecretFile(dataDir), '\n');
    expect((await loadOrCreateMailSecret(dataDir)).length).toBeGreaterThan(40);
  });
});
