/** API latency over loopback with autocannon: a fixed duration per operation, a few connections. */
import autocannon from 'autocannon';

export interface ApiLatency {
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  total: number;
  /** Responses that were not 2xx, plus connection errors and timeouts. */
  failures: number;
  /** `200×650 429×7`: what the responses were, so a rate limit or error cannot pass for latency. */
  statusCodes: string;
}

export interface LoadOptions {
  url: string;
  authorization: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  durationSeconds: number;
  connections: number;
}

export const measureApiLatency = async (options: LoadOptions): Promise<ApiLatency> => {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: {
      authorization: options.authorization,
      accept: 'application/json',
      ...(options.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    connections: options.connections,
    duration: options.durationSeconds,
  });
  return {
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
    statusCodes: Object.entries(result.statusCodeStats ?? {})
      .map(([status, { count }]) => `${status}×${count}`)
      .join(' '),
  };
};
