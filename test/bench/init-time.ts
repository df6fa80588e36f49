/**
 * Module init time of a bundle in a fresh Node process: the time to `import()` it, which is what a
 * Lambda cold start pays before the first invocation (module-level clients, schemas, router).
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { physicalNames } from '../../infra/local/create-tables.ts';
import { median } from './stats.ts';

/** What module-level code reads; values are dummies, nothing is called at import time. */
const FUNCTION_ENVIRONMENT: Record<string, string> = {
  ...physicalNames('bench'),
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  EVENT_BUS_NAME: 'relaydesk-bench',
  PUBLIC_URL: 'https://help.example.test',
  POWERTOOLS_SERVICE_NAME: 'relaydesk',
  POWERTOOLS_METRICS_NAMESPACE: 'Relaydesk',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const importOnce = (file: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const script = [
      'const started = performance.now();',
      `await import(${JSON.stringify(pathToFileURL(file).href)});`,
      'process.stdout.write(String(performance.now() - started));',
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...FUNCTION_ENVIRONMENT },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = Number(stdout);
      if (code === 0 && Number.isFinite(ms)) resolve(ms);
      else reject(new Error(`importing ${file} failed (exit ${code}): ${stderr.slice(-2000)}`));
    });
  });

export interface InitTime {
  medianMs: number;
  samplesMs: number[];
}

export const measureInitTime = async (file: string, runs = 5): Promise<InitTime> => {
  const samplesMs: number[] = [];
  for (let run = 0; run < runs; run++) samplesMs.push(await importOnce(file));
  return { medianMs: median(samplesMs), samplesMs };
};
