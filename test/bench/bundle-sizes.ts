/**
 * Bundles every function of the wiring table the way the CDK construct does
 * (infra/constructs/relaydesk-function.ts): ESM, minified, node22, AWS SDK inside, ESM `require` shim.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { allFunctions } from '../../infra/topology.ts';

/** Lambda's practical budget for a fast cold start, per function. */
export const BUNDLE_BUDGET_BYTES = 1024 * 1024;

const ESM_REQUIRE_SHIM =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

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
      entryPoints: [resolve(projectRoot, spec.entry)],
      outfile: file,
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_SHIM },
      logLevel: 'error',
    });
    results.push({ name: spec.name, entry: spec.entry, file, bytes: (await stat(file)).size });
  }
  return results;
};
