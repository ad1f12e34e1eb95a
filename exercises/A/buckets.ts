// A.4 — Histogram buckets the way Prometheus stores them: cumulative, with +Inf, _sum and _count.
// Lesson: lessons/A-concepts.md, "A.4 Histogram buckets". Grade: npm run grade -- A.4

export interface Bucket {
  /** The upper bound as prom-client prints it: '0.005', '1', '2.5', and '+Inf' for the last. */
  le: string;
  /** How many observations were ≤ le (cumulative). */
  count: number;
}

export interface HistogramSnapshot {
  buckets: Bucket[];
  /** _sum: the total of all observed values. */
  sum: number;
  /** _count: how many values were observed (equal to the +Inf bucket). */
  count: number;
}

/** Counts `observations` into cumulative `le` buckets with the given upper bounds (ascending, finite). */
export function cumulativeBuckets(observations: readonly number[], bounds: readonly number[]): HistogramSnapshot {
  // TODO(A.4): refuse bounds that are not finite or not strictly ascending with a RangeError naming
  // the bad bound (no bounds at all, and negative bounds, are valid). One bucket per bound,
  // le = String(bound), count = observations ≤ bound; then a last bucket
  // { le: '+Inf', count: every observation }; sum and count of all observations.
  void observations;
  void bounds;
  throw new Error('TODO(A.4): cumulativeBuckets is not written yet (exercises/A/buckets.ts)');
}
