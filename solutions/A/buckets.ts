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
  bounds.forEach((bound, i) => {
    if (!Number.isFinite(bound)) {
      throw new RangeError(`bucket bound ${bound} is not a finite number (+Inf is added for you)`);
    }
    const previous = bounds[i - 1];
    if (previous !== undefined && bound <= previous) {
      throw new RangeError(`bucket bounds must be strictly ascending: ${bound} comes after ${previous}`);
    }
  });
  const buckets: Bucket[] = bounds.map((bound) => ({
    le: String(bound),
    count: observations.filter((v) => v <= bound).length,
  }));
  buckets.push({ le: '+Inf', count: observations.length });
  const sum = observations.reduce((total, v) => total + v, 0);
  return { buckets, sum, count: observations.length };
}
