import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { JavaMissingError } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/ports.ts';

it('stops npm start with the JavaMissingError message and exit code 1 when java is not on PATH', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'relaydesk-nojava-'));
  const [port, dynamoDbPort, sesPort, smtpPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
        env: {
          ...process.env,
          PATH: join(dataDir, 'empty-path'),
          RELAYDESK_DATA_DIR: dataDir,
          RELAYDESK_PORT: String(port),
          RELAYDESK_DYNAMODB_PORT: String(dynamoDbPort),
          RELAYDESK_SES_PORT: String(sesPort),
          RELAYDESK_SMTP_PORT: String(smtpPort),
        },
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
    },
  ).finally(() => rm(dataDir, { recursive: true, force: true }));
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toBe(new JavaMissingError().message);
  expect(result.stdout).not.toContain('Relaydesk is running');
});
