import { createServer } from 'node:net';

/** A port that is free on 127.0.0.1 right now (the OS picks it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly variable: string,
  ) {
    super(`Port ${port} on 127.0.0.1 is already in use. Set ${variable} to a free port and start again.`);
  }
}

/** Resolves when `port` can be bound on 127.0.0.1; otherwise rejects naming the variable that sets it. */
export const assertPortFree = (port: number, variable: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', () => reject(new PortInUseError(port, variable)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
