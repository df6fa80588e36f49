/**
 * The local runtime (`npm start`) as an end-to-end test file uses it: booted once before the file's
 * tests on free ports with its own data folder, stopped after them, and the stop checked clean (no
 * DynamoDB Local left behind). Plus what most e2e tests do with it: move its clock, read the mail the
 * local SES emulator kept, and wait for a value that shows up once the event fabric has delivered.
 */
import { afterAll, beforeAll } from 'vitest';
import { type RuntimeProcess, removeDataDir, startRuntimeProcess } from './runtime-process.ts';
import { type Loose, zendeskClient } from './zendesk-client.ts';

export interface LocalRuntime {
  /** The booted runtime (only inside tests and hooks). */
  runtime: () => RuntimeProcess;
  /** node-zendesk signed in as the seeded admin. */
  client: () => Loose;
}

export const useLocalRuntime = (admin: { email: string; token: string }): LocalRuntime => {
  let runtime: RuntimeProcess | undefined;
  let client: Loose;
  beforeAll(async () => {
    runtime = await startRuntimeProcess({ adminEmail: admin.email, adminToken: admin.token });
    client = zendeskClient({
      apiUrl: runtime.apiUrl,
      username: admin.email,
      token: admin.token,
      throwOriginalException: true,
    });
  });
  afterAll(async () => {
    if (!runtime) return;
    const report = await runtime.stop();
    await removeDataDir(runtime.dataDir);
    if (!report.exitedOnSigint || report.survivingJava.length > 0 || report.dynamoDbPortOpen) {
      throw new Error(`The runtime did not stop cleanly: ${JSON.stringify(report)}\n${runtime.output()}`);
    }
  });
  return {
    runtime: () => {
      if (!runtime) throw new Error('The local runtime is not running');
      return runtime;
    },
    client: () => client,
  };
};

/** Moves the runtime's clock forward (POST /_local/clock), so timers and schedules fall due. */
export const advanceClock = async (runtime: RuntimeProcess, minutes: number): Promise<void> => {
  const response = await fetch(`${runtime.baseUrl}/_local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance_minutes: minutes }),
  });
  if (response.status !== 200) {
    throw new Error(`POST /_local/clock answered ${response.status}: ${await response.text()}`);
  }
};

/** The parts of aws-ses-v2-local's GET /store that tests read. */
export interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

export const sentMail = async (runtime: RuntimeProcess): Promise<StoredMail[]> => {
  const response = await fetch(`http://127.0.0.1:${runtime.ports.ses}/store`);
  return ((await response.json()) as { emails: StoredMail[] }).emails;
};

/** Polls until `probe` returns a value (bounded: the fabric delivers within a second or two). */
export const eventually = async <T>(
  runtime: RuntimeProcess,
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> => {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Gave up waiting for ${what}\n--- runtime output ---\n${runtime.output()}`);
};
