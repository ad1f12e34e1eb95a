// The grader's own cumulative histogram buckets for A.4, the way Prometheus stores them.

export interface OracleBucket {
  le: string;
  count: number;
}

/** One bucket per bound (every observation ≤ it), then +Inf with all of them; _sum and _count. */
export function bucketsOracle(observations: readonly number[], bounds: readonly number[]): { buckets: OracleBucket[]; sum: number; count: number } {
  const buckets = bounds.map((bound) => {
    let count = 0;
    for (const v of observations) if (v <= bound) count++;
    return { le: String(bound), count };
  });
  buckets.push({ le: '+Inf', count: observations.length });
  let sum = 0;
  for (const v of observations) sum += v;
  return { buckets, sum, count: observations.length };
}
