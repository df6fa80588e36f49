/**
 * The local Message-ID signing key (AWS keeps it in Secrets Manager): 32 random bytes made on first
 * start and kept in the data folder, so replies to mail sent before a restart still thread.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const mailSecretFile = (dataDir: string): string => join(dataDir, 'mail-secret');

export const loadOrCreateMailSecret = async (dataDir: string): Promise<string> => {
  const file = mailSecretFile(dataDir);
  try {
    const saved = (await readFile(file, 'utf8')).trim();
    if (saved) return saved;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  // Owner-only: whoever reads it can forge Message-IDs that thread onto any ticket.
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
};
