import { type ChildProcessByStdio, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPortFree, freePort } from '../../infra/local/ports.ts';

type Runtime = ChildProcessByStdio<null, Readable, Readable> & { output: string };

/** `npm start` as a user runs it (without the npm wrapper, so signals reach the runtime directly). */
const start = (env: Record<string, string>): Promise<Runtime> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }) as Runtime;
    child.output = '';
    const collect = (chunk: Buffer) => {
      child.output += chunk;
      if (child.output.includes('Press Ctrl-C to stop.')) resolve(child);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${child.output}`)));
  });

const stop = (child: Runtime, signal: NodeJS.Signals): Promise<number | null> =>
  new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });

const javaFor = (dynamoDbPort: number): string => {
  try {
    return execFileSync('pgrep', ['-f', `LoopbackDynamoDbLocal.* -port ${dynamoDbPort} `], {
      encoding: 'utf8',
    });
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
};

describe('npm start', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let ports: { http: number; dynamo: number; ses: number; smtp: number };
  let runtime: Runtime | undefined;
  let authorization = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relaydesk-runtime-'));
    ports = {
      http: await freePort(),
      dynamo: await freePort(),
      ses: await freePort(),
      smtp: await freePort(),
    };
    env = {
      RELAYDESK_DATA_DIR: dataDir,
      RELAYDESK_PORT: String(ports.http),
      RELAYDESK_DYNAMODB_PORT: String(ports.dynamo),
      RELAYDESK_SES_PORT: String(ports.ses),
      RELAYDESK_SMTP_PORT: String(ports.smtp),
      RELAYDESK_ADMIN_EMAIL: 'owner@example.com',
    };
  });
  afterAll(async () => {
    if (runtime && runtime.exitCode === null) await stop(runtime, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts, serves the API through the authorizer, feeds the stream, and stops on Ctrl-C leaving nothing', {
    timeout: 120_000,
  }, async () => {
    runtime = await start(env);
    const api = `http://127.0.0.1:${ports.http}/api/v2`;
    expect(runtime.output).toContain(`API          ${api}`);
    expect(runtime.output).toContain('Admin        owner@example.com');
    expect(runtime.output).toContain(`Mail viewer  http://127.0.0.1:${ports.ses}`);
    expect(runtime.output).toContain(
      `SMTP         127.0.0.1:${ports.smtp} (mail to support@relaydesk.local)`,
    );
    const token = /API token {4}(\S+) {3}\(shown once; stored hashed\)/.exec(runtime.output)?.[1];
    expect(token).toBeDefined();
    authorization = `Basic ${Buffer.from(`owner@example.com/token:${token}`).toString('base64')}`;

    expect((await fetch(`http://127.0.0.1:${ports.http}/healthz`)).status).toBe(200);
    const me = await fetch(`${api}/users/me.json`, { headers: { authorization } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe('owner@example.com');
    expect((await fetch(`${api}/users/me.json`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${ports.ses}/`)).status).toBe(200);

    const created = await fetch(`${api}/tickets.json`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: { subject: 'Printer on fire', comment: { body: 'Help' } } }),
    });
    expect(created.status).toBe(201);
    // The committed write reaches the stream publisher: the poller checkpoints past it.
    await expect
      .poll(async () => await readFile(join(dataDir, 'stream-checkpoints.json'), 'utf8').catch(() => ''), {
        timeout: 20_000,
      })
      .toMatch(/"sequenceNumber":"\d+"/);

    expect(await stop(runtime, 'SIGINT')).toBe(0);
    expect(javaFor(ports.dynamo)).toBe('');
    for (const port of Object.values(ports)) await assertPortFree(port, 'any');
  });

  it('keeps the data across a restart and does not show the token again; stops on SIGTERM', {
    timeout: 120_000,
  }, async () => {
    runtime = await start(env);
    expect(runtime.output).toContain('API token    shown on first start');
    expect(runtime.output).not.toContain('shown once');
    // The admin and the token made on first start are still there.
    const me = await fetch(`http://127.0.0.1:${ports.http}/api/v2/users/me`, { headers: { authorization } });
    expect(me.status).toBe(200);
    expect(await stop(runtime, 'SIGTERM')).toBe(0);
    expect(javaFor(ports.dynamo)).toBe('');
  });
});
