// The reference histogramQuantile (solutions/C/alerting.ts) against Prometheus' own answers: a table
// of cases with known values, and the same table evaluated by real `promtool test rules`.
import { describe, expect, it } from 'vitest';
import { promtoolPath } from '../../live/prometheus-tools.js';
import { testRules } from '../../live/promtool-rules.js';
import { histogramQuantile } from '../../../solutions/C/alerting.js';

type Buckets = Array<{ le: number; count: number }>;
interface Case {
  name: string;
  q: number;
  buckets: Buckets;
  /** Known answer (worked out by hand from Prometheus' definition). */
  want: number;
  /** How the `le` label is spelled for promtool, when it matters (e.g. "1.0" next to "1"). */
  spell?: string[];
}

const b = (pairs: Array<[number, number]>): Buckets => pairs.map(([le, count]) => ({ le, count }));
const STD = b([[0.1, 10], [0.5, 60], [1, 90], [Infinity, 100]]);

const cases: Case[] = [
  { name: 'median interpolated inside a middle bucket', q: 0.5, buckets: STD, want: 0.1 + 0.4 * (40 / 50) },
  { name: 'rank inside the first bucket, lower bound 0', q: 0.05, buckets: STD, want: 0.05 },
  { name: 'q = 0 with a non-empty first bucket', q: 0, buckets: STD, want: 0 },
  { name: 'q = 0.9 lands exactly on a bucket bound', q: 0.9, buckets: STD, want: 1 },
  { name: 'rank in +Inf: highest finite bound', q: 0.95, buckets: STD, want: 1 },
  { name: 'q = 1: highest finite bound', q: 1, buckets: STD, want: 1 },
  { name: 'q above 1 is +Inf', q: 1.5, buckets: STD, want: Infinity },
  { name: 'q below 0 is -Inf', q: -0.1, buckets: STD, want: -Infinity },
  { name: 'q NaN is NaN', q: Number.NaN, buckets: STD, want: Number.NaN },
  { name: 'no observations is NaN', q: 0.5, buckets: b([[0.1, 0], [1, 0], [Infinity, 0]]), want: Number.NaN },
  { name: 'no +Inf bucket is NaN', q: 0.5, buckets: b([[0.1, 3], [1, 10]]), want: Number.NaN },
  { name: 'only the +Inf bucket is NaN', q: 0.5, buckets: b([[Infinity, 10]]), want: Number.NaN },
  { name: 'unsorted input is sorted first', q: 0.5, buckets: b([[Infinity, 100], [0.5, 60], [0.1, 10], [1, 90]]), want: 0.1 + 0.4 * (40 / 50) },
  { name: 'first bucket with an upper bound <= 0 gives that bound', q: 0.1, buckets: b([[-1, 20], [0, 50], [1, 100], [Infinity, 100]]), want: -1 },
  { name: 'negative bounds interpolate between them', q: 0.3, buckets: b([[-1, 20], [0, 50], [1, 100], [Infinity, 100]]), want: -1 + 1 * (10 / 30) },
  { name: 'non-monotonic counts are raised to the envelope', q: 0.75, buckets: b([[0.1, 10], [0.5, 5], [1, 20], [Infinity, 20]]), want: 0.75 },
  { name: 'empty first bucket: q = 0 interpolates 0/0', q: 0, buckets: b([[0.1, 0], [1, 10], [Infinity, 10]]), want: Number.NaN },
  { name: 'equal bounds spelled differently add up', q: 0.5, buckets: b([[0.5, 2], [1, 4], [1, 4], [Infinity, 10]]), want: 0.5 + 0.5 * (3 / 6), spell: ['0.5', '1', '1.0', '+Inf'] },
  { name: 'fractional counts from rate()', q: 0.99, buckets: b([[0.25, 1.5], [0.5, 1.9], [1, 1.96], [2.5, 2], [Infinity, 2]]), want: 1 + 1.5 * ((1.98 - 1.96) / (2 - 1.96)) },
  { name: 'the course p99 example: 99 × 10 ms and 1 × 10 s in the course buckets', q: 0.99, buckets: b([[0.005, 0], [0.01, 99], [0.025, 99], [5, 99], [10, 100], [Infinity, 100]]), want: 0.01 },
];

const same = (got: number, want: number) => (Number.isNaN(want) ? Number.isNaN(got) : !Number.isFinite(want) ? got === want : Math.abs(got - want) < 1e-9);

describe('histogramQuantile (reference solution)', () => {
  it.each(cases)('$name', ({ q, buckets, want }) => {
    const got = histogramQuantile(q, buckets);
    expect(same(got, want), `histogramQuantile(${q}, ${JSON.stringify(buckets)}) = ${got}, want ${want}`).toBe(true);
  });

  it('does not change the caller\'s array', () => {
    const input = b([[1, 5], [0.5, 2], [Infinity, 10]]);
    const copy = structuredClone(input);
    histogramQuantile(0.5, input);
    expect(input).toEqual(copy);
  });
});

const promtool = promtoolPath();

describe.skipIf(!promtool)('histogramQuantile agrees with real Prometheus (skipped where Prometheus is not installed)', () => {
  it('gives the same answer as promtool for every case in the table', async () => {
    const leText = (le: number) => (le === Infinity ? '+Inf' : String(le));
    const exprOf = (i: number, q: number) => `histogram_quantile(${Number.isNaN(q) ? 'NaN' : q}, hq_bucket{case="${i}"})`;
    const input_series = cases.flatMap((c, i) =>
      c.buckets.map((bucket, j) => ({ series: `hq_bucket{case="${i}", le="${c.spell?.[j] ?? leText(bucket.le)}"}`, values: String(bucket.count) })),
    );
    // Every test expects nothing, so promtool reports what it got for each expression.
    const outcome = await testRules(promtool!, {
      input_series,
      promql_expr_test: cases.map((c, i) => ({ expr: exprOf(i, c.q), eval_time: '0m', exp_samples: [] })),
    });
    const answers = new Map(outcome.failures.map((f) => [f.expr, f.got?.[0]?.value]));
    const disagreements = cases.flatMap((c, i) => {
      const prom = answers.get(exprOf(i, c.q));
      const ours = histogramQuantile(c.q, c.buckets);
      return prom !== undefined && same(ours, prom) && same(c.want, prom) ? [] : [`${c.name}: promtool ${prom}, ours ${ours}, table ${c.want}`];
    });
    expect(disagreements).toEqual([]);
  });
});
