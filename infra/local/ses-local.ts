/** The local SES endpoint (v1 and v2 APIs) and its mail viewer, from the `aws-ses-v2-local` package. */
import sesLocal from 'aws-ses-v2-local';
import { closeServer } from './http-adapter.ts';
import { PortInUseError } from './ports.ts';

export interface SesLocal {
  /** The SES API endpoint; the mail viewer is its root page and `/store` lists sent mail as JSON. */
  endpoint: string;
  stop(): Promise<void>;
}

export const startSesLocal = async (port: number, portVariable: string): Promise<SesLocal> => {
  // The package is CommonJS; its server factory is the `default` property of module.exports.
  const server = await sesLocal.default({ host: '127.0.0.1', port });
  // Express hands a listen error to the listen callback, which resolves with a server that is not listening.
  if (!server.listening) throw new PortInUseError(port, portVariable);
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
};
