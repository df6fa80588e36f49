import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertPortFree, freePort, PortInUseError } from '../../infra/local/ports.ts';
import { startSesLocal } from '../../infra/local/ses-local.ts';

/** Runs `npm start`'s entry point as a user would, without the npm wrapper. */
const runStart = (env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });

const occupy = (port: number) =>
  new Promise<Server>((resolve) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

describe('a port already in use', () => {
  let dataDir: string;
  let ports: Record<string, number>;
  let blocker: Server | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relaydesk-ports-'));
    ports = {
      RELAYDESK_PORT: await freePort(),
      RELAYDESK_DYNAMODB_PORT: await freePort(),
      RELAYDESK_SES_PORT: await freePort(),
      RELAYDESK_SMTP_PORT: await freePort(),
    };
  });
  afterEach(async () => {
    await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
    blocker = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(['RELAYDESK_PORT', 'RELAYDESK_DYNAMODB_PORT', 'RELAYDESK_SES_PORT', 'RELAYDESK_SMTP_PORT'])(
    'stops npm start with one line naming %s, exit code 1, nothing left running',
    async (variable) => {
      const busy = ports[variable] ?? 0;
      blocker = await occupy(busy);
      const env = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)]));
      const result = await runStart({ ...env, RELAYDESK_DATA_DIR: dataDir });

      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `Port ${busy} on 127.0.0.1 is already in use. Set ${variable} to a free port and start again.`,
      );
      expect(result.stdout).not.toContain('Relaydesk is running');
      for (const [name, port] of Object.entries(ports)) {
        if (name !== variable) await assertPortFree(port, name);
      }
    },
  );

  it('rejects two settings that share a port before starting anything', async () => {
    const result = await runStart({
      RELAYDESK_PORT: String(ports.RELAYDESK_PORT),
      RELAYDESK_SES_PORT: String(ports.RELAYDESK_PORT),
      RELAYDESK_SMTP_PORT: String(ports.RELAYDESK_SMTP_PORT),
      RELAYDESK_DATA_DIR: dataDir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `RELAYDESK_PORT and RELAYDESK_SES_PORT are both ${ports.RELAYDESK_PORT}; give each its own port.`,
    );
  });

  it('makes the local SES refuse a busy port with the variable to change', async () => {
    const busy = ports.RELAYDESK_SES_PORT ?? 0;
    blocker = await occupy(busy);
    await expect(startSesLocal(busy, 'RELAYDESK_SES_PORT')).rejects.toThrow(
      new PortInUseError(busy, 'RELAYDESK_SES_PORT'),
    );
  });
});
