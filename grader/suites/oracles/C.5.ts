// C.5's oracles: Prometheus' histogram_quantile on classic buckets, the 5xx share and the summed
// latency quantile, written plainly from their definitions (independent of the reference solution).

export interface OracleBucket {
  le: number;
  count: number;
}

/** histogram_quantile as Prometheus 2.x computes it (promql/quantile.go, bucketQuantile). */
export function quantileOracle(q: number, buckets: readonly OracleBucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  // One bucket per distinct bound, counts of equal bounds added, in order of the bound.
  const byBound = new Map<number, number>();
  for (const { le, count } of buckets) byBound.set(le, (byBound.get(le) ?? 0) + count);
  const bounds = [...byBound.keys()].sort((a, b) => a - b);
  if (bounds.length === 0 || bounds[bounds.length - 1] !== Infinity) return Number.NaN;
  if (bounds.length < 2) return Number.NaN;
  // Cumulative counts never go down: each is at least the largest one below it.
  const counts: number[] = [];
  let highest = -Infinity;
  for (const le of bounds) {
    highest = Math.max(highest, byBound.get(le)!);
    counts.push(highest);
  }
  const total = counts[counts.length - 1]!;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  const finite = bounds.length - 1;
  let i = 0;
  while (i < finite && counts[i]! < rank) i++;
  if (i === finite) return bounds[finite - 1]!;
  if (i === 0 && bounds[0]! <= 0) return bounds[0]!;
  const lower = i === 0 ? 0 : bounds[i - 1]!;
  const below = i === 0 ? 0 : counts[i - 1]!;
  const inBucket = counts[i]! - below;
  return lower + (bounds[i]! - lower) * ((rank - below) / inBucket);
}

export interface RequestCount {
  method: string;
  endpoint: string;
  status_code: string;
  count: number;
}

/** The share of requests answered 5xx (0..1), undefined without requests. */
export function errorRateOracle(counts: readonly RequestCount[]): number | undefined {
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  if (total === 0) return undefined;
  const errors = counts.filter((c) => /^5\d\d$/.test(c.status_code)).reduce((sum, c) => sum + c.count, 0);
  return errors / total;
}

/** Cumulative buckets of observations (value <= le), for the given finite bounds and +Inf. */
export function cumulative(bounds: readonly number[], values: readonly number[]): OracleBucket[] {
  return [...bounds, Infinity].map((le) => ({ le, count: values.filter((v) => v <= le).length }));
}

/** The q-quantile over every label set: buckets added bound by bound (sum by (le)), then
 * histogram_quantile; undefined when nothing was observed. */
export function latencyQuantileOracle(bounds: readonly number[], observationsPerSeries: ReadonlyArray<readonly number[]>, q: number): number | undefined {
  const all = observationsPerSeries.flat();
  if (all.length === 0) return undefined;
  return quantileOracle(q, cumulative(bounds, all));
}
