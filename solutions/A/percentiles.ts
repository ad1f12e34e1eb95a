// A.1 — Percentiles: why the average hides the slow requests, and how to see them.
// Lesson: lessons/A-concepts.md, "A.1 Percentiles". Grade: npm run grade -- A.1
//
// Definition used throughout this course: NEAREST-RANK. Sort a copy of the values ascending; the
// p-th percentile is the value at 1-based rank ⌈p × n / 100⌉. It is always one of the observed
// values, p = 100 gives the maximum, and for small n the result jumps from one sample to the next.
// In code, multiply before you divide, and mind floating point: 35.2 * 375 / 100 is
// 132.00000000000003, whose ceiling is 133, although 35.2 × 375 / 100 is exactly 132 (the lesson
// shows how to get the rank right). p is written with at most three decimals (99.9, 99.99, 12.5).

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  /** p99.9 */
  p999: number;
  max: number;
}

/** The p-th percentile (0 < p ≤ 100) of `values` by nearest rank. `values` is left as it was. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    throw new RangeError('percentile of an empty list: there is no value to pick (values = [])');
  }
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) {
    throw new RangeError(`every value must be a finite number, got ${bad}`);
  }
  if (!(p > 0 && p <= 100)) {
    throw new RangeError(`percentile p must be in (0, 100], got ${p}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  // p × n / 100 rather than p / 100 × n: 7 / 100 × 100 is 7.000000000000001 in floating point, and
  // its ceiling would be 8. A decimal p can still leave a hair of noise (35.2 * 375 / 100 is
  // 132.00000000000003): with p at most three decimals a true fraction is at least 0.00001, so the
  // tiny tolerance removes the noise and never a real fraction.
  const exact = (p * n) / 100;
  const rank = Math.min(n, Math.max(1, Math.ceil(exact - 1e-9)));
  return sorted[rank - 1]!;
}

/** count, mean, p50, p95, p99, p99.9 and max of a non-empty list of latencies. */
export function summarize(values: readonly number[]): LatencySummary {
  if (values.length === 0) {
    throw new RangeError('cannot summarize an empty list of latencies (values = [])');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, v) => total + v, 0);
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted[sorted.length - 1]!,
  };
}
