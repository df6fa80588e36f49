/** The local SES endpoint (v1 and v2 APIs) and its mail viewer, from the `aws-ses-v2-local` package. */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { closeServer } from './http-adapter.ts';
import { PortInUseError } from './ports.ts';

// Required, not imported: the package is CommonJS with `exports.default`, which Node's ESM loader and
// vitest's interop expose under different names; require sees the same object everywhere.
const { default: startSesServer } = createRequire(import.meta.url)('aws-ses-v2-local') as {
  default: (config: { host: string; port: number }) => Promise<Server>;
};

export interface SesLocal {
  /** The SES API endpoint; the mail viewer is its root page and `/store` lists sent mail as JSON. */
  endpoint: string;
  stop(): Promise<void>;
}

export const startSesLocal = async (port: number, portVariable: string): Promise<SesLocal> => {
  const server = await startSesServer({ host: '127.0.0.1', port });
  // Express hands a listen error to the listen callback, which resolves with a server that is not listening.
  if (!server.listening) throw new PortInUseError(port, portVariable);
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
};
