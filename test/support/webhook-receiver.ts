/**
 * A real HTTP receiver on 127.0.0.1 for a test file's webhook calls: it records every request and
 * answers each with the next scripted answer (200 "ok" when the script is empty). Started before the
 * file's tests on a free port, closed after them.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface WebhookReceiver {
  received: ReceivedRequest[];
  script: ScriptedAnswer[];
  /** `http://127.0.0.1:<port>` (only inside tests and hooks). */
  url: () => string;
}

export const useWebhookReceiver = (): WebhookReceiver => {
  const received: ReceivedRequest[] = [];
  const script: ScriptedAnswer[] = [];
  let server: Server | undefined;
  let url = '';
  beforeAll(async () => {
    const listening = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const next = script.shift() ?? { status: 200 };
        response.writeHead(next.status, next.headers).end(next.body ?? 'ok');
      });
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });
  return {
    received,
    script,
    url: () => {
      if (!url) throw new Error('The webhook receiver is not listening');
      return url;
    },
  };
};
