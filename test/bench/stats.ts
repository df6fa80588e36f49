/** Small statistics helpers for the benchmark (nearest-rank percentiles, as autocannon reports). */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
};

export const median = (values: readonly number[]): number => percentile(values, 50);

export const round = (value: number, digits = 2): string =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';

/** One latency per sample, in ms, with its nearest-rank p50 and p99. */
export interface LatencySamples {
  samplesMs: number[];
  p50Ms: number;
  p99Ms: number;
}

export const latencySamples = (samplesMs: number[]): LatencySamples => ({
  samplesMs,
  p50Ms: percentile(samplesMs, 50),
  p99Ms: percentile(samplesMs, 99),
});
