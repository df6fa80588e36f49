import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_ADMIN_EMAIL, readConfig } from '../../infra/local/config.ts';

describe('readConfig (npm start is configured by environment only)', () => {
  it('has defaults for everything', () => {
    expect(readConfig({}, '/project')).toEqual({
      projectRoot: '/project',
      port: 8080,
      dataDir: '/project/.relaydesk/data',
      publicUrl: 'http://127.0.0.1:8080',
      adminEmail: DEFAULT_ADMIN_EMAIL,
      adminToken: undefined,
      dynamoDbPort: 8000,
      sesPort: 8005,
      smtpPort: 2525,
      supportAddress: 'support@relaydesk.local',
      forbidScans: false,
    });
  });

  it('reads every variable', () => {
    const config = readConfig(
      {
        RELAYDESK_PORT: '9000',
        RELAYDESK_DATA_DIR: 'var/data',
        RELAYDESK_PUBLIC_URL: 'https://help.example.com/',
        RELAYDESK_ADMIN_EMAIL: 'owner@example.com',
        RELAYDESK_ADMIN_TOKEN: 'secret-token',
        RELAYDESK_DYNAMODB_PORT: '9001',
        RELAYDESK_SES_PORT: '9002',
        RELAYDESK_SMTP_PORT: '9003',
        RELAYDESK_SUPPORT_ADDRESS: 'Help@Example.com',
        RELAYDESK_FORBID_SCAN: '1',
      },
      '/project',
    );
    expect(config).toMatchObject({
      port: 9000,
      dataDir: '/project/var/data',
      publicUrl: 'https://help.example.com',
      adminEmail: 'owner@example.com',
      adminToken: 'secret-token',
      dynamoDbPort: 9001,
      sesPort: 9002,
      smtpPort: 9003,
      supportAddress: 'help@example.com',
      forbidScans: true,
    });
  });

  it('derives the public URL from the port', () => {
    expect(readConfig({ RELAYDESK_PORT: '3000' }, '/p').publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('keeps an absolute data folder as given', () => {
    expect(readConfig({ RELAYDESK_DATA_DIR: '/srv/relaydesk' }, '/p').dataDir).toBe('/srv/relaydesk');
  });

  it.each([
    [{ RELAYDESK_PORT: 'eighty' }, 'RELAYDESK_PORT=eighty is not a port number (1-65535).'],
    [{ RELAYDESK_SES_PORT: '70000' }, 'RELAYDESK_SES_PORT=70000 is not a port number (1-65535).'],
    [
      { RELAYDESK_DYNAMODB_PORT: '8080' },
      'RELAYDESK_PORT and RELAYDESK_DYNAMODB_PORT are both 8080; give each its own port.',
    ],
    [{ RELAYDESK_PUBLIC_URL: 'not a url' }, 'RELAYDESK_PUBLIC_URL=not a url is not a URL.'],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => readConfig(env, '/p')).toThrow(new ConfigError(message));
  });
});
