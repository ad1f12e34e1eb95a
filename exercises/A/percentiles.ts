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
  // TODO(A.1): throw a RangeError when values is empty (say "empty"), a RangeError naming the value
  // when one is not a finite number (NaN, Infinity, -Infinity), and a RangeError naming p when p is
  // not in (0, 100] (0, -1, 101 and NaN are all refused). Any finite value is fine, negative too.
  // Then sort a COPY numerically, compute the rank ⌈p × n / 100⌉ without floating-point noise (see
  // the lesson) and return the value at rank - 1.
  void values;
  void p;
  throw new Error('TODO(A.1): percentile is not written yet (exercises/A/percentiles.ts)');
}

/** count, mean, p50, p95, p99, p99.9 and max of a non-empty list of latencies. */
export function summarize(values: readonly number[]): LatencySummary {
  // TODO(A.1): build the summary with percentile(); mean = sum / count; max = the largest value.
  // It refuses what percentile() refuses (an empty list, a value that is not finite).
  void values;
  throw new Error('TODO(A.1): summarize is not written yet (exercises/A/percentiles.ts)');
}
