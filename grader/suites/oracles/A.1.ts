// The grader's own nearest-rank percentile for A.1, in exact decimal arithmetic (no floating-point rank).

/** p as the decimal a person wrote (String(p): 99.9, 12.5, 1e-7) = digits / 10^scale, exactly. */
function decimal(p: number): { digits: bigint; scale: number } {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(p));
  if (!match) throw new Error(`not a positive decimal: ${p}`);
  const fraction = match[2] ?? '';
  let digits = BigInt(`${match[1]}${fraction}`);
  let scale = fraction.length - Number(match[3] ?? 0);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/** The 1-based nearest rank ⌈p × n / 100⌉, computed on whole numbers so that no rounding can creep in. */
export function nearestRank(p: number, n: number): number {
  const { digits, scale } = decimal(p);
  const denominator = 100n * 10n ** BigInt(scale);
  const rank = Number((digits * BigInt(n) + denominator - 1n) / denominator);
  return Math.min(n, Math.max(1, rank));
}

export function percentileOracle(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('empty');
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new RangeError(`value ${bad}`);
  if (!(p > 0 && p <= 100)) throw new RangeError(`p ${p}`);
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted[nearestRank(p, sorted.length) - 1]!;
}

export interface SummaryOracle {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export function summarizeOracle(values: readonly number[]): SummaryOracle {
  return {
    count: values.length,
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    p50: percentileOracle(values, 50),
    p95: percentileOracle(values, 95),
    p99: percentileOracle(values, 99),
    p999: percentileOracle(values, 99.9),
    max: values.reduce((a, b) => (b > a ? b : a), Number.NEGATIVE_INFINITY),
  };
}

/** (p, n) pairs where p × n / 100 is a whole number, yet p / 100 × n or p × n / 100 in floating
 * point comes out a hair above it, so a plain Math.ceil lands one rank too high. The first twelve
 * trip p * n / 100 too; the others only p / 100 * n. */
export const FLOATING_POINT_TRAPS: ReadonlyArray<readonly [p: number, n: number]> = [
  [4.4, 750], [17.6, 875], [35.2, 375], [43.2, 750], [66.4, 375], [74.4, 375],
  [82.4, 750], [5.44, 625], [25.76, 625], [47.52, 625], [75.04, 625], [91.04, 625],
  [7, 100], [14, 50], [28, 25], [17, 300], [27, 900], [7, 1100],
  [0.9, 1000], [14.8, 500], [43.2, 500], [98.9, 1000], [57.92, 625],
];
