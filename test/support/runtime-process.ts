/**
 * Boots the local runtime exactly as `npm start` does — a separate Node process running
 * infra/local/start.ts, configured only through RELAYDESK_* variables — for the end-to-end tests and
 * the benchmark. The child leads its own process group, so a failed stop can still kill everything.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../infra/local/ports.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BANNER_LINE = 'Relaydesk is running.';
const OUTPUT_LIMIT = 256 * 1024;

export interface RuntimePorts {
  http: number;
  dynamoDb: number;
  ses: number;
  smtp: number;
}

export interface RuntimeProcessOptions {
  adminEmail: string;
  adminToken: string;
  /** Reuse a data folder (restart tests); a fresh temporary one otherwise. */
  dataDir?: string;
  /** Reuse ports (restart tests); free ones otherwise. */
  ports?: RuntimePorts;
  /** RELAYDESK_PUBLIC_URL; the runtime defaults it to http://127.0.0.1:<port>. */
  publicUrl?: string;
  /** Fail any DynamoDB Scan (RELAYDESK_FORBID_SCAN=1). Defaults to true. */
  forbidScans?: boolean;
  /** Bound on the start-up wait (JVM start, table creation, seeding). */
  startTimeoutMs?: number;
  /** Further RELAYDESK_* settings, e.g. RELAYDESK_RATE_LIMIT_PER_MINUTE for the benchmark. */
  env?: Record<string, string>;
}

export interface StopReport {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** False when the runtime ignored SIGINT and had to be killed. */
  exitedOnSigint: boolean;
  /** `pgrep -f` lines of java processes still serving this run's DynamoDB port. */
  survivingJava: string[];
  dynamoDbPortOpen: boolean;
}

export interface RuntimeProcess {
  /** Base URL the server listens on (loopback), without a trailing slash. */
  baseUrl: string;
  /** `${baseUrl}/api/v2`: node-zendesk's endpointUri. */
  apiUrl: string;
  ports: RuntimePorts;
  dataDir: string;
  adminEmail: string;
  adminToken: string;
  pid: number;
  /** Everything the child printed so far (stdout and stderr interleaved, capped). */
  output(): string;
  /**
   * Resolves once the child prints `text` after this call (the capped `output()` cannot tell a new
   * line from an old one that scrolled out).
   */
  nextOutput(text: string): Promise<void>;
  /** SIGINT (Ctrl-C), waits for exit, then checks nothing of this run survives. Safe to call twice. */
  stop(): Promise<StopReport>;
}

export const createDataDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'relaydesk-e2e-'));
export const removeDataDir = (dataDir: string): Promise<void> =>
  rm(dataDir, { recursive: true, force: true });

export const freeRuntimePorts = async (): Promise<RuntimePorts> => {
  const ports = new Set<number>();
  // Distinct ports: the OS may hand the same ephemeral port out twice in a row.
  while (ports.size < 4) ports.add(await freePort());
  const [http, dynamoDb, ses, smtp] = [...ports] as [number, number, number, number];
  return { http, dynamoDb, ses, smtp };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const portAcceptsConnections = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Java processes whose command line serves `port` (DynamoDB Local is started with `-port N`). */
export const javaProcessesOnPort = (port: number): string[] => {
  const result = spawnSync('pgrep', ['-af', `java.* -port ${port}( |$)`], { encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
};

const waitForExit = (child: ChildProcess, timeoutMs: number): Promise<boolean> => {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
};

const killGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
};

export const startRuntimeProcess = async (options: RuntimeProcessOptions): Promise<RuntimeProcess> => {
  const ports = options.ports ?? (await freeRuntimePorts());
  const dataDir = options.dataDir ?? (await createDataDir());
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      RELAYDESK_PORT: String(ports.http),
      RELAYDESK_DYNAMODB_PORT: String(ports.dynamoDb),
      RELAYDESK_SES_PORT: String(ports.ses),
      RELAYDESK_SMTP_PORT: String(ports.smtp),
      RELAYDESK_DATA_DIR: dataDir,
      RELAYDESK_ADMIN_EMAIL: options.adminEmail,
      RELAYDESK_ADMIN_TOKEN: options.adminToken,
      RELAYDESK_FORBID_SCAN: options.forbidScans === false ? '0' : '1',
      ...(options.publicUrl ? { RELAYDESK_PUBLIC_URL: options.publicUrl } : {}),
      ...options.env,
    },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('Could not spawn the runtime process');

  // Last resort if the test process exits without stopping us (a crash): never leave a JVM behind.
  const killOnExit = () => killGroup(pid, 'SIGKILL');
  process.once('exit', killOnExit);

  let output = '';
  const watchers = new Set<(chunk: string) => void>();
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-OUTPUT_LIMIT);
    for (const watch of watchers) watch(text);
  };
  const nextOutput = (text: string) =>
    new Promise<void>((resolve) => {
      // Kept from the call on, so a match split across two chunks is still found.
      let seen = '';
      const watch = (chunk: string) => {
        seen += chunk;
        if (!seen.includes(text)) return;
        watchers.delete(watch);
        resolve();
      };
      watchers.add(watch);
    });
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let stopping: Promise<StopReport> | undefined;
  const stop = (): Promise<StopReport> => {
    stopping ??= (async () => {
      let exitedOnSigint = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        exitedOnSigint = await waitForExit(child, 30_000);
      }
      // Checked before any clean-up kill, so a leaked JVM is reported rather than silently reaped.
      const survivingJava = javaProcessesOnPort(ports.dynamoDb);
      const dynamoDbPortOpen = await portAcceptsConnections(ports.dynamoDb);
      if (!exitedOnSigint || survivingJava.length > 0) {
        killGroup(pid, 'SIGKILL');
        await waitForExit(child, 5_000);
      }
      process.removeListener('exit', killOnExit);
      return {
        exitCode: child.exitCode,
        signal: child.signalCode,
        exitedOnSigint,
        survivingJava,
        dynamoDbPortOpen,
      };
    })();
    return stopping;
  };

  const baseUrl = `http://127.0.0.1:${ports.http}`;
  const deadline = Date.now() + startTimeoutMs;
  let healthy = false;
  let lastProblem = 'no answer yet';
  try {
    // /healthz answers as soon as the HTTP adapter listens; the banner follows once the admin is
    // seeded, and only then do API calls with the admin token succeed.
    while (!(healthy && output.includes(BANNER_LINE))) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the runtime exited (code ${child.exitCode}, signal ${child.signalCode})`);
      }
      if (Date.now() > deadline)
        throw new Error(`not ready within ${startTimeoutMs / 1000} s (${lastProblem})`);
      if (!healthy) {
        try {
          const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
          await response.arrayBuffer();
          healthy = response.status === 200;
          lastProblem = `GET /healthz answered ${response.status}`;
        } catch (error) {
          lastProblem = `GET /healthz failed: ${String(error)}`;
        }
      }
      await sleep(200);
    }
  } catch (error) {
    await stop();
    throw new Error(
      `Relaydesk did not start: ${(error as Error).message}\n--- runtime output ---\n${output}`,
    );
  }

  return {
    baseUrl,
    apiUrl: `${baseUrl}/api/v2`,
    ports,
    dataDir,
    adminEmail: options.adminEmail,
    adminToken: options.adminToken,
    pid,
    output: () => output,
    nextOutput,
    stop,
  };
};
