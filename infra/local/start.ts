/**
 * `npm start`: reads the environment, starts the local runtime, prints the banner once it answers, and
 * stops everything on Ctrl-C or SIGTERM. Known start-up problems (a busy port, no Java, a bad setting)
 * print one clear message and exit 1.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBanner } from './banner.ts';
import { ConfigError, readConfig } from './config.ts';
import { JavaMissingError } from './dynamodb-local.ts';
import { PortInUseError } from './ports.ts';
import { type RelaydeskRuntime, startRelaydesk } from './runtime.ts';
import { UnsupportedScheduleError } from './scheduler.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const aborter = new AbortController();
let runtime: RelaydeskRuntime | undefined;

const shutDown = async () => {
  if (aborter.signal.aborted) return;
  // A signal during start-up aborts it; startRelaydesk then stops what it had started.
  aborter.abort();
  if (runtime) {
    console.log('\nStopping Relaydesk…');
    await runtime.stop();
    process.exit(0);
  }
};
process.on('SIGINT', shutDown);
process.on('SIGTERM', shutDown);

try {
  const config = readConfig(process.env, projectRoot);
  console.log('Starting Relaydesk…');
  runtime = await startRelaydesk(config, aborter.signal);
  console.log(
    formatBanner({
      apiUrl: runtime.apiUrl,
      adminEmail: runtime.adminEmail,
      adminToken: runtime.adminToken,
      mailViewerUrl: runtime.mailViewerUrl,
      smtpAddress: runtime.smtpAddress,
      supportAddress: runtime.supportAddress,
      dataDir: runtime.dataDir,
    }),
  );
} catch (error) {
  if (aborter.signal.aborted) process.exit(0);
  const known =
    error instanceof PortInUseError ||
    error instanceof JavaMissingError ||
    error instanceof ConfigError ||
    error instanceof UnsupportedScheduleError;
  console.error(known ? (error as Error).message : error);
  process.exit(1);
}
