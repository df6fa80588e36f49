/**
 * The local runtime's configuration, read from the environment only (`npm start` takes no flags), so the
 * README, the end-to-end tests and the benchmark all configure it the same way.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { normalizeAddress } from '../../shared/mail/addresses.ts';

export interface RuntimeConfig {
  /** Folder holding package.json; function entries in the topology are relative to it. */
  projectRoot: string;
  /** HTTP API and pages. */
  port: number;
  dataDir: string;
  /** Base for absolute links the functions write (mail, pages), without a trailing slash. */
  publicUrl: string;
  adminEmail: string;
  /** Used on first start instead of a generated token. */
  adminToken: string | undefined;
  dynamoDbPort: number;
  /** Local SES endpoint and its mail viewer. */
  sesPort: number;
  /** SMTP listener for inbound mail. */
  smtpPort: number;
  /** The local Scheduler API (one-time timers); undefined picks a free port at each start. */
  schedulerPort: number | undefined;
  /** Mail to this address (and its `+token` reply addresses) becomes tickets and comments. */
  supportAddress: string;
  /** Fail every DynamoDB Scan the process issues (the end-to-end tests turn this on). */
  forbidScans: boolean;
  /** API requests per user and minute before 429; undefined keeps the functions' default (700). */
  rateLimitPerMinute: number | undefined;
}

export const DEFAULT_ADMIN_EMAIL = 'admin@relaydesk.local';
export const DEFAULT_SUPPORT_ADDRESS = 'support@relaydesk.local';

export class ConfigError extends Error {}

type Environment = Readonly<Record<string, string | undefined>>;

const readPort = (env: Environment, variable: string, fallback: number): number => {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`${variable}=${raw} is not a port number (1-65535).`);
  }
  return port;
};

export const readConfig = (env: Environment, projectRoot: string): RuntimeConfig => {
  const port = readPort(env, 'RELAYDESK_PORT', 8080);
  const dynamoDbPort = readPort(env, 'RELAYDESK_DYNAMODB_PORT', 8000);
  const sesPort = readPort(env, 'RELAYDESK_SES_PORT', 8005);
  const smtpPort = readPort(env, 'RELAYDESK_SMTP_PORT', 2525);
  // Only functions call it (they are told where at start), so it needs no fixed port by default.
  const schedulerPort = env.RELAYDESK_SCHEDULER_PORT
    ? readPort(env, 'RELAYDESK_SCHEDULER_PORT', 0)
    : undefined;
  const ports: [string, number][] = [
    ['RELAYDESK_PORT', port],
    ['RELAYDESK_DYNAMODB_PORT', dynamoDbPort],
    ['RELAYDESK_SES_PORT', sesPort],
    ['RELAYDESK_SMTP_PORT', smtpPort],
    ...(schedulerPort ? [['RELAYDESK_SCHEDULER_PORT', schedulerPort] as [string, number]] : []),
  ];
  for (const [variable, value] of ports) {
    const clash = ports.find(([other, otherValue]) => other !== variable && otherValue === value);
    if (clash)
      throw new ConfigError(`${variable} and ${clash[0]} are both ${value}; give each its own port.`);
  }
  const dataDir = env.RELAYDESK_DATA_DIR || join('.relaydesk', 'data');
  const publicUrl = (env.RELAYDESK_PUBLIC_URL || `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  if (!URL.canParse(publicUrl)) throw new ConfigError(`RELAYDESK_PUBLIC_URL=${publicUrl} is not a URL.`);
  const rateLimit = env.RELAYDESK_RATE_LIMIT_PER_MINUTE;
  if (rateLimit && !(Number.isInteger(Number(rateLimit)) && Number(rateLimit) > 0)) {
    throw new ConfigError(`RELAYDESK_RATE_LIMIT_PER_MINUTE=${rateLimit} is not a positive whole number.`);
  }
  const rawSupportAddress = env.RELAYDESK_SUPPORT_ADDRESS || DEFAULT_SUPPORT_ADDRESS;
  const supportAddress = normalizeAddress(rawSupportAddress);
  if (!supportAddress) {
    throw new ConfigError(
      `RELAYDESK_SUPPORT_ADDRESS=${rawSupportAddress} is not a plain address like support@example.com.`,
    );
  }
  return {
    projectRoot,
    port,
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(projectRoot, dataDir),
    publicUrl,
    adminEmail: env.RELAYDESK_ADMIN_EMAIL || DEFAULT_ADMIN_EMAIL,
    adminToken: env.RELAYDESK_ADMIN_TOKEN || undefined,
    dynamoDbPort,
    sesPort,
    smtpPort,
    schedulerPort,
    supportAddress,
    forbidScans: env.RELAYDESK_FORBID_SCAN === '1',
    rateLimitPerMinute: rateLimit ? Number(rateLimit) : undefined,
  };
};
