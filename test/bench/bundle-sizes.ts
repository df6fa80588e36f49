/**
 * Bundles every function of the wiring table with the options the CDK construct deploys them with
 * (infra/constructs/lambda-bundling.ts).
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { lambdaBundleOptions } from '../../infra/constructs/lambda-bundling.ts';
import { allFunctions } from '../../infra/topology.ts';

/** Lambda's practical budget for a fast cold start, per function. */
export const BUNDLE_BUDGET_BYTES = 1024 * 1024;

export interface BundleResult {
  name: string;
  entry: string;
  file: string;
  bytes: number;
}

export const bundleFunctions = async (projectRoot: string, outDir: string): Promise<BundleResult[]> => {
  const results: BundleResult[] = [];
  // One at a time: the machine has two cores and each build is CPU-bound.
  for (const [index, spec] of allFunctions().entries()) {
    // Names are not unique across kinds (a route group and a consumer may share one), so prefix the index.
    const file = join(outDir, `${String(index).padStart(2, '0')}-${spec.name}.mjs`);
    await build({
      ...lambdaBundleOptions,
      // The aliases are relative to the project root, where CDK runs esbuild too.
      absWorkingDir: projectRoot,
      entryPoints: [resolve(projectRoot, spec.entry)],
      outfile: file,
      logLevel: 'error',
    });
    // The source map is written beside the bundle; only the code counts against the budget.
    results.push({ name: spec.name, entry: spec.entry, file, bytes: (await stat(file)).size });
  }
  return results;
};
