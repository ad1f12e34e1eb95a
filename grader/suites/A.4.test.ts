// A.4 — cumulative `le` buckets from raw observations, the +Inf bucket, _sum and _count: a few readable
// cases first, then the learner's function against the grader's oracle on generated inputs.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { bucketsOracle } from './oracles/A.4.js';
import { compareWithOracle, mismatch, outcome, show } from './differential.js';
import { cumulativeBuckets } from '@target/A/buckets.js';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
type Args = [observations: number[], bounds: number[]];

/** A RangeError on valid bounds is A.4.validation's business: the other criteria judge the answers. */
const REFUSED = 'refused valid bounds with a RangeError';
function answerOf(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) return REFUSED;
    throw error;
  }
}

const j = (value: unknown): string => JSON.stringify(value);
/** The buckets as { le, count } pairs (nothing else), or what came back instead. */
function bucketsOf(result: unknown): Array<{ le: unknown; count: unknown }> | string {
  const buckets = (result as { buckets?: unknown } | null)?.buckets;
  if (!Array.isArray(buckets)) return `no buckets array in ${show(result)}`;
  return buckets.map((b: { le?: unknown; count?: unknown } | null) => ({ le: b?.le, count: b?.count }));
}
const finite = (buckets: Array<{ le: unknown; count: unknown }>) => buckets.filter((b) => b.le !== '+Inf');
const sumScale = (observations: readonly number[]): number => Math.max(1, observations.reduce((a, v) => a + Math.abs(v), 0));

/** What the finite buckets should be and what they are, as text (equal when right). */
function cumulativeVerdict(observations: number[], bounds: number[], result: unknown): string {
  if (result === REFUSED) return j(finite(bucketsOracle(observations, bounds).buckets));
  const buckets = bucketsOf(result);
  return typeof buckets === 'string' ? buckets : j(finite(buckets));
}

/** The +Inf bucket, _count and _sum: "right", or what is wrong with them. */
function infSumCountVerdict(observations: number[], bounds: number[], result: unknown): string {
  if (result === REFUSED) return 'right';
  const buckets = bucketsOf(result);
  if (typeof buckets === 'string') return buckets;
  const want = bucketsOracle(observations, bounds);
  if (buckets.length !== bounds.length + 1) return `${buckets.length} buckets, not ${bounds.length + 1} (one per bound, then +Inf)`;
  const last = buckets[buckets.length - 1];
  if (last?.le !== '+Inf' || last.count !== observations.length) return `the last bucket is ${j(last)}, not { le: '+Inf', count: ${observations.length} }`;
  const { count, sum } = result as { count?: unknown; sum?: unknown };
  if (count !== want.count) return `count ${show(count)}, not ${want.count}`;
  if (typeof sum !== 'number' || !(Math.abs(sum - want.sum) <= 1e-9 * sumScale(observations))) return `sum ${show(sum)}, not ${want.sum}`;
  return 'right';
}

// ---- generators -------------------------------------------------------------------------------
const boundValueArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SECONDS) },
  { weight: 2, arbitrary: fc.integer({ min: -100, max: 100 }) },
  { weight: 2, arbitrary: fc.integer({ min: -10_000, max: 10_000 }).map((k) => k / 1000) },
  { weight: 1, arbitrary: fc.constantFrom(1e-7, 0.1 + 0.2, 1e12, -1e12, 1e21, 1024, 300, 1000) },
);
const boundsArb: fc.Arbitrary<number[]> = fc.uniqueArray(boundValueArb, { maxLength: 14 }).map((b) => [...b].sort((x, y) => x - y));
const validArb: fc.Arbitrary<Args> = boundsArb.chain((bounds) => {
  const observation = fc.oneof(
    // values that sit exactly on a bound (le means ≤)
    ...(bounds.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...bounds) }] : []),
    { weight: 3, arbitrary: boundValueArb },
    { weight: 1, arbitrary: fc.constantFrom(0, -3, 1e9, -1e9, 7.5, 20) },
  );
  return fc.tuple(fc.array(observation, { maxLength: 80 }), fc.constant(bounds));
});

// ---- A.4.cumulative ---------------------------------------------------------------------------
describe('A.4.cumulative', () => {
  it('one bucket per bound, in order, with le printed like prom-client prints it', () => {
    const les = finite(bucketsOf(cumulativeBuckets([0.3], SECONDS)) as Array<{ le: unknown; count: unknown }>).map((b) => b.le);
    const want = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10'];
    if (j(les) !== j(want)) throw mismatch(`the le labels for bounds ${show(SECONDS)} (then '+Inf')`, j(want), j(les));
  });

  it('each bucket counts every observation ≤ its bound (cumulative, boundaries included)', () => {
    const cases: Array<{ observations: number[]; bounds: number[]; counts: number[]; why: string }> = [
      { observations: [0.2, 0.7, 1.2, 3], bounds: [0.5, 1, 2], counts: [1, 2, 3], why: 'each bucket includes every smaller bucket' },
      { observations: [1, 0.5, 2, 2], bounds: [0.5, 1, 2], counts: [1, 2, 4], why: 'a value equal to a bound belongs in that bucket (le means ≤)' },
      { observations: [0.004, 0.05, 0.05, 0.3, 0.3, 0.3, 1.7, 12], bounds: SECONDS, counts: [1, 1, 1, 3, 3, 3, 6, 6, 7, 7, 7], why: 'latencies in seconds against the prom-client default bounds' },
      { observations: [], bounds: [1, 2], counts: [0, 0], why: 'no observations: every bucket is 0' },
      { observations: [5, 9], bounds: [1, 2], counts: [0, 0], why: 'values above every bound land only in +Inf' },
      { observations: [-3, 0, 0.1], bounds: [0, 1], counts: [2, 3], why: 'negative values and 0 are ≤ a bound of 0' },
    ];
    for (const { observations, bounds, counts, why } of cases) {
      const buckets = bucketsOf(cumulativeBuckets(observations, bounds));
      const seen = typeof buckets === 'string' ? buckets : j(finite(buckets));
      const want = j(bounds.map((b, i) => ({ le: String(b), count: counts[i] })));
      if (seen !== want) throw mismatch(`cumulativeBuckets(${show(observations)}, ${show(bounds)}): ${why}`, want, seen);
    }
  });

  it('agrees with the grader on generated observations and bounds: values on a bound, negatives, huge numbers, duplicates', () => {
    compareWithOracle<Args, string>(
      {
        inputs: validArb,
        learner: (observations, bounds) => cumulativeVerdict(observations, bounds, answerOf(() => cumulativeBuckets(observations, bounds))),
        oracle: (observations, bounds) => j(finite(bucketsOracle(observations, bounds).buckets)),
        call: ([observations, bounds]) => `the finite buckets of cumulativeBuckets(${show(observations)}, ${show(bounds)})`,
        render: (r) => r,
        numRuns: 150,
      },
      'cumulative buckets',
    );
  });
});

// ---- A.4.inf-sum-count ------------------------------------------------------------------------
describe('A.4.inf-sum-count', () => {
  it('the last bucket is +Inf and holds every observation; count and sum cover all of them', () => {
    const cases: Args[] = [
      [[0.25, 0.5, 1.5, 3], [1, 2]],
      [[0.004, 0.05, 0.05, 0.3, 0.3, 0.3, 1.75, 12], SECONDS],
      [[7.5, 20], [1]],
      [[], [0.1, 1]],
      [[0.5, 2.25], []],
    ];
    for (const [observations, bounds] of cases) {
      const seen = infSumCountVerdict(observations, bounds, cumulativeBuckets(observations, bounds));
      const want = bucketsOracle(observations, bounds);
      if (seen !== 'right') {
        throw mismatch(
          `cumulativeBuckets(${show(observations)}, ${show(bounds)}): the +Inf bucket, _count and _sum cover every observation`,
          `last bucket { le: '+Inf', count: ${want.count} }, count ${want.count}, sum ${want.sum}`,
          seen,
        );
      }
    }
  });

  it('agrees with the grader on generated observations and bounds', () => {
    compareWithOracle<Args, string>(
      {
        inputs: validArb,
        learner: (observations, bounds) => infSumCountVerdict(observations, bounds, answerOf(() => cumulativeBuckets(observations, bounds))),
        oracle: () => 'right',
        call: ([observations, bounds]) => {
          const want = bucketsOracle(observations, bounds);
          return `cumulativeBuckets(${show(observations)}, ${show(bounds)}) ends with { le: '+Inf', count: ${want.count} }, with count ${want.count} and sum ${want.sum}`;
        },
        render: (r) => (r === 'right' ? 'those' : r),
        numRuns: 150,
      },
      'the +Inf bucket, _sum and _count',
    );
  });
});

// ---- A.4.validation ---------------------------------------------------------------------------
interface BadBounds {
  bounds: number[];
  /** The message must name one of these (for an out-of-order pair, either of the two). */
  names: number[];
  why: string;
}
/** What the call did with bounds it must refuse, in words. */
function refusal(bad: BadBounds, observations: number[]): string {
  const o = outcome(() => cumulativeBuckets(observations, bad.bounds));
  const named = bad.names.map(String).join(' or ');
  if ('returned' in o) return `returned ${show(o.returned)}`;
  if (o.threw !== 'RangeError') return `threw ${o.threw} (${o.message.slice(0, 80)}), not a RangeError`;
  return bad.names.some((n) => o.message.includes(String(n))) ? `a RangeError naming ${named}` : `a RangeError whose message does not name ${named}: "${o.message.slice(0, 100)}"`;
}
const wantedRefusal = (bad: BadBounds): string => `a RangeError naming ${bad.names.map(String).join(' or ')}`;

const badArb: fc.Arbitrary<BadBounds> = fc.oneof(
  // two neighbours swapped
  fc.tuple(boundsArb.filter((b) => b.length >= 2), fc.nat()).map(([b, at]) => {
    const i = 1 + (at % (b.length - 1));
    const bounds = [...b];
    [bounds[i - 1], bounds[i]] = [bounds[i]!, bounds[i - 1]!];
    return { bounds, names: [bounds[i]!, bounds[i - 1]!], why: 'bounds must ascend' };
  }),
  // a bound repeated
  fc.tuple(boundsArb.filter((b) => b.length >= 1), fc.nat()).map(([b, at]) => {
    const i = at % b.length;
    return { bounds: [...b.slice(0, i + 1), b[i]!, ...b.slice(i + 1)], names: [b[i]!], why: 'a repeated bound makes an empty, ambiguous bucket' };
  }),
  // NaN anywhere
  fc.tuple(boundsArb, fc.nat()).map(([b, at]) => {
    const i = at % (b.length + 1);
    return { bounds: [...b.slice(0, i), Number.NaN, ...b.slice(i)], names: [Number.NaN], why: 'NaN is not a bound' };
  }),
  // +Inf at the end (it is added for you), -Inf at the start
  boundsArb.map((b) => ({ bounds: [...b, Number.POSITIVE_INFINITY], names: [Number.POSITIVE_INFINITY], why: 'the +Inf bucket is added for you' })),
  boundsArb.map((b) => ({ bounds: [Number.NEGATIVE_INFINITY, ...b], names: [Number.NEGATIVE_INFINITY], why: 'bounds must be finite' })),
);

describe('A.4.validation', () => {
  it('refuses bounds that are unsorted, repeated or not finite, with a RangeError naming the bad bound', () => {
    const fixed: BadBounds[] = [
      { bounds: [0.5, 0.1, 1], names: [0.1, 0.5], why: 'bounds must ascend' },
      { bounds: [0.1, 0.5, 0.5, 1], names: [0.5], why: 'a repeated bound makes an empty, ambiguous bucket' },
      { bounds: [0.1, Number.NaN], names: [Number.NaN], why: 'NaN is not a bound' },
      { bounds: [0.1, Number.POSITIVE_INFINITY], names: [Number.POSITIVE_INFINITY], why: 'the +Inf bucket is added for you' },
      { bounds: [Number.NEGATIVE_INFINITY, 1], names: [Number.NEGATIVE_INFINITY], why: 'bounds must be finite' },
    ];
    for (const bad of fixed) {
      const seen = refusal(bad, [0.2]);
      if (seen !== wantedRefusal(bad)) throw mismatch(`cumulativeBuckets([0.2], ${show(bad.bounds)}) must be refused (${bad.why})`, wantedRefusal(bad), seen);
    }
    compareWithOracle<[BadBounds], string>(
      {
        inputs: badArb.map((b) => [b] as [BadBounds]),
        learner: (bad) => refusal(bad, [0.2, 3]),
        oracle: (bad) => wantedRefusal(bad),
        call: ([bad]) => `cumulativeBuckets([0.2, 3], ${show(bad.bounds)}) must be refused (${bad.why})`,
        render: (r) => r,
        numRuns: 150,
        structuredClone: false,
      },
      'bad bounds',
    );
  });

  it('answers every valid call: no bounds, negative, tiny and huge bounds, any observations', () => {
    compareWithOracle<Args, string>(
      {
        inputs: fc.oneof(fc.constant<Args>([[0.5], []]), fc.constant<Args>([[-2, 0], [-5, -1, 0]]), validArb),
        learner: (observations, bounds) => {
          const o = outcome(() => cumulativeBuckets(observations, bounds));
          return 'returned' in o ? 'an answer' : `throws ${o.threw}: ${o.message.slice(0, 120)}`;
        },
        oracle: () => 'an answer',
        call: ([observations, bounds]) => `cumulativeBuckets(${show(observations)}, ${show(bounds)}) is a valid call`,
        render: (r) => r,
        numRuns: 150,
      },
      'valid bounds refused',
    );
  });
});
