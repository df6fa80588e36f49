/**
 * The embedded-metric-format lines Powertools Metrics writes to stdout, captured during each test of
 * the file that calls `captureEmf()` (the writes still reach stdout).
 */
import { afterEach, beforeEach, vi } from 'vitest';

export interface EmfCapture {
  /** The EMF lines written since the test began (or since `clear`), parsed. */
  lines: () => Record<string, unknown>[];
  clear: () => void;
}

export const captureEmf = (): EmfCapture => {
  let chunks: string[] = [];
  beforeEach(() => {
    chunks = [];
    const write = process.stdout.write.bind(process.stdout);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
      chunks.push(String(chunk));
      return write(chunk, ...(rest as []));
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return {
    lines: () =>
      chunks
        .flatMap((chunk) => chunk.split('\n'))
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    clear: () => {
      chunks = [];
    },
  };
};
