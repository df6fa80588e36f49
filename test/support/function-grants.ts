/**
 * Runs a consumer, timer consumer, mail function or scheduled job the way the local runtime (and
 * IAM in AWS) would: under the grants of its wiring-table entry, so a test that calls its handler
 * directly fails where AWS would deny the access (infra/local/function-grants.ts).
 */
import { runWithGrants } from '../../infra/local/function-grants.ts';
import { allFunctions } from '../../infra/topology.ts';

/** Runs `call` as the topology function `name` (e.g. `apply-triggers`), under that function's grants. */
export const asFunction = <T>(name: string, call: () => Promise<T>): Promise<T> => {
  const functions = allFunctions();
  const spec = functions.find((candidate) => candidate.name === name);
  if (!spec) {
    const known = functions.map((candidate) => candidate.name).join(', ');
    throw new Error(`No function named ${name} in infra/topology.ts; known: ${known}`);
  }
  return runWithGrants(`relaydesk-${name}`, spec, call);
};
