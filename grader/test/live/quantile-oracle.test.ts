// The C.5 quantile oracle (grader/suites/oracles/C.5.ts) against real Prometheus: generated bucket
// sets (layouts, empty buckets, ranks on a bound, in the first bucket and in +Inf, q of 0 and 1)
// evaluated by `promtool test rules` in one run, and compared value by value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { promtoolPath } from '../../live/prometheus-tools.js';
import { testRules } from '../../live/promtool-rules.js';
import { quantileOracle, type OracleBucket } from '../../suites/oracles/C.5.js';

const promtool = promtoolPath();

const same = (got: number | undefined, want: number) =>
  got !== undefined && (Number.isNaN(want) ? Number.isNaN(got) : !Number.isFinite(want) ? got === want : Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)));

interface Case {
  q: number;
  buckets: OracleBucket[];
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    bounds: fc.oneof<fc.Arbitrary<number[]>[]>(
      fc.constantFrom<number[]>([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], [0.1, 0.5, 1], [1], [-1, 0, 1], [0, 2]),
      fc.uniqueArray(fc.integer({ min: -20, max: 2000 }).map((k) => k / 100), { minLength: 1, maxLength: 6 }).map((b) => [...b].sort((x, y) => x - y)),
    ),
    counts: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3000 }).map((k) => k / 1000)), { minLength: 12, maxLength: 12 }),
    overflow: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 })),
    withInf: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    decreasing: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    q: fc.oneof(fc.constantFrom(0, 1, 0.5, 0.99, -0.5, 1.5, Number.NaN), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(12).map((k) => -10 - k)),
  })
  .map(({ bounds, counts, overflow, withInf, decreasing, q }) => {
    let running = 0;
    const buckets = bounds.map((le, i) => ({ le, count: (running += counts[i] ?? 0) }));
    if (withInf) buckets.push({ le: Infinity, count: running + overflow });
    if (decreasing && buckets.length > 2) buckets[1]!.count = Math.max(0, buckets[0]!.count - 1);
    // -10 - k: a q whose rank falls exactly on the k-th bucket's count.
    const total = buckets[buckets.length - 1]!.count;
    const onBound = q <= -10 && total > 0 ? buckets[(-10 - q) % buckets.length]!.count / total : undefined;
    return { q: onBound ?? (q <= -10 ? 0.5 : q), buckets };
  });

describe.skipIf(!promtool)('the quantile oracle agrees with real Prometheus (skipped where Prometheus is not installed)', () => {
  it('on 200 generated bucket sets', async () => {
    const cases = fc.sample(caseArb, { seed: 20261201, numRuns: 200 });
    const leText = (le: number) => (le === Infinity ? '+Inf' : String(le));
    const exprOf = (i: number, q: number) => `histogram_quantile(${Number.isNaN(q) ? 'NaN' : q}, oracle_bucket{case="${i}"})`;
    const outcome = await testRules(promtool!, {
      input_series: cases.flatMap((c, i) => c.buckets.map((b) => ({ series: `oracle_bucket{case="${i}", le="${leText(b.le)}"}`, values: String(b.count) }))),
      // Every test expects nothing, so promtool reports what it got for each expression.
      promql_expr_test: cases.map((c, i) => ({ expr: exprOf(i, c.q), eval_time: '0m', exp_samples: [] })),
    });
    const answers = new Map(outcome.failures.map((f) => [f.expr, f.got?.[0]?.value]));
    const disagreements = cases.flatMap((c, i) => {
      const prom = answers.get(exprOf(i, c.q));
      const ours = quantileOracle(c.q, c.buckets);
      // A case without a +Inf bucket gives no result at all in Prometheus (NaN is filtered out): the oracle says NaN.
      if (prom === undefined) return Number.isNaN(ours) ? [] : [`case ${i}: promtool nothing, oracle ${ours}: ${JSON.stringify(c)}`];
      return same(prom, ours) ? [] : [`case ${i}: promtool ${prom}, oracle ${ours}: q=${c.q} ${JSON.stringify(c.buckets)}`];
    });
    expect(disagreements).toEqual([]);
  });
});
