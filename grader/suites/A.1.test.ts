// A.1 — percentiles by nearest rank, input validation, and the "averages lie" case: a few readable
// cases first, then the learner's functions against the grader's oracle on generated inputs.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { FLOATING_POINT_TRAPS, nearestRank, percentileOracle, summarizeOracle } from './oracles/A.1.js';
import { compareWithOracle, mismatch, outcome, show, showOutcome } from './differential.js';
import { percentile, summarize } from '@target/A/percentiles.js';

type Args = [values: number[], p: number];

/** A RangeError on a valid call is A.1.validation's business: the other criteria judge the answers. */
const REFUSED = Symbol('refused a valid call');
function answerOf<R>(run: () => R): R | typeof REFUSED {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) return REFUSED;
    throw error;
  }
}

function check(ok: boolean, what: string, expected: string, seen: string): void {
  if (!ok) throw mismatch(what, expected, seen);
}

/** A list as a person reads it; a long one by its length and its first values. */
const listed = (values: readonly number[]): string =>
  values.length > 12 ? `<${values.length} values: ${values.slice(0, 6).map((v) => show(v)).join(', ')}, ...>` : show(values);

/** Distinct values 0..n-1 scaled and shifted, in a scrambled order (7919 is a prime above every n used). */
const scrambled = (n: number, step = 1, offset = 0): number[] => Array.from({ length: n }, (_, i) => offset + ((i * 7919) % n) * step);

// ---- generators -------------------------------------------------------------------------------
const pArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 100 }),
  fc.integer({ min: 1, max: 1000 }).map((k) => k / 10),
  fc.integer({ min: 1, max: 10_000 }).map((k) => k / 100),
  fc.integer({ min: 1, max: 100_000 }).map((k) => k / 1000),
  fc.constantFrom(50, 90, 95, 99, 99.9, 99.99, 99.999, 100, 0.001, 0.1, 12.5, 33.3, 66.6),
);
const valueArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 20 }) },
  // numbers whose text order differs from their numeric order ("100" < "25" < "3")
  { weight: 3, arbitrary: fc.constantFrom(1, 2, 3, 5, 9, 10, 25, 99, 100, 250, 1000, 10_000) },
  { weight: 2, arbitrary: fc.integer({ min: -1_000_000, max: -1 }) },
  { weight: 1, arbitrary: fc.constantFrom(1e15, -1e15, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE) },
  { weight: 2, arbitrary: fc.integer({ min: -100_000, max: 100_000 }).map((k) => k / 1000) },
);
const generalArb: fc.Arbitrary<Args> = fc.tuple(fc.array(valueArb, { minLength: 1, maxLength: 60 }), pArb);
/** n divides 100 000, so p = 100 × rank / n has at most three decimals and p × n / 100 is exactly a rank. */
const DIVISORS = [1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 40, 50, 80, 100, 125, 160, 200, 250, 400, 500, 625, 800, 1000, 1250];
const wholeRankArb: fc.Arbitrary<Args> = fc
  .tuple(fc.constantFrom(...DIVISORS), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(1, 0.001, 1000), fc.integer({ min: -500, max: 500 }))
  .map(([n, at, step, offset]) => {
    const rank = Math.min(n, 1 + Math.floor(at * n));
    return [scrambled(n, step, offset), ((100_000 / n) * rank) / 1000] as Args;
  });
const trapArb: fc.Arbitrary<Args> = fc
  .tuple(fc.constantFrom(...FLOATING_POINT_TRAPS), fc.constantFrom(1, 0.5, 10), fc.integer({ min: -50, max: 50 }))
  .map(([[p, n], step, offset]) => [scrambled(n, step, offset), p] as Args);
const validArb: fc.Arbitrary<Args> = fc.oneof({ weight: 3, arbitrary: generalArb }, { weight: 2, arbitrary: wholeRankArb }, { weight: 2, arbitrary: trapArb });
/** Moderate values, so that every order of adding them up gives the same mean to many digits. */
const summaryValuesArb: fc.Arbitrary<number[]> = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(3, 9, 25, 100, 250, 1000, 10_000), fc.integer({ min: -100_000, max: 100_000 }).map((k) => k / 1000)),
  { minLength: 1, maxLength: 300 },
);

// ---- A.1.nearest-rank -------------------------------------------------------------------------
/** Samples with their nearest-rank percentiles (rank = ⌈p × n / 100⌉, 1-based, on the sorted values). */
const CASES: Array<{ name: string; values: number[]; expected: Record<number, number> }> = [
  { name: 'one value', values: [42], expected: { 1: 42, 50: 42, 99: 42, 100: 42 } },
  { name: 'two values, unsorted', values: [30, 10], expected: { 1: 10, 50: 10, 50.1: 30, 100: 30 } },
  { name: 'ten values, unsorted', values: [7, 3, 10, 1, 9, 2, 8, 5, 6, 4], expected: { 10: 1, 25: 3, 50: 5, 75: 8, 90: 9, 95: 10, 100: 10 } },
  { name: 'unsorted, with duplicates', values: [120, 15, 15, 900, 15, 40, 40, 15], expected: { 12.5: 15, 50: 15, 62.5: 40, 75: 40, 87.5: 120, 90: 900, 100: 900 } },
  // numbers whose digits sort differently as text: "100" < "25" < "3" < "9"
  { name: 'values that sort differently as text than as numbers', values: [100, 9, 25, 3, 1000, 250], expected: { 1: 3, 34: 25, 50: 25, 51: 100, 66.6: 100, 67: 250, 100: 1000 } },
  { name: 'fractional seconds', values: [0.25, 0.012, 1.5, 0.08, 0.3], expected: { 20: 0.012, 40: 0.08, 60: 0.25, 80: 0.3, 81: 1.5, 100: 1.5 } },
  // p × n / 100 is a whole number here, but 7 / 100 × 100 is 7.000000000000001 in floating point
  { name: '1..100 scrambled', values: scrambled(100, 1, 1), expected: { 7: 7, 14: 14, 28: 28, 99: 99, 99.9: 100 } },
  // 35.2 × 375 / 100 is exactly 132, but 35.2 * 375 / 100 is 132.00000000000003 in floating point
  { name: '1..375 scrambled', values: scrambled(375, 1, 1), expected: { 35.2: 132, 66.4: 249, 74.4: 279 } },
];

describe('A.1.nearest-rank', () => {
  it('percentile(values, p) returns the nearest-rank value: rank ⌈p × n / 100⌉ of the sorted values', () => {
    for (const { name, values, expected } of CASES) {
      for (const [pText, want] of Object.entries(expected)) {
        const p = Number(pText);
        const seen = outcome(() => percentile(values, p));
        const rank = nearestRank(p, values.length);
        check(
          'returned' in seen && seen.returned === want,
          `${name}: percentile(${listed(values)}, ${p}) is the value at rank ⌈${p} × ${values.length} / 100⌉ = ${rank} of the sorted values`,
          show(want),
          'returned' in seen ? show(seen.returned) : `throws ${seen.threw}: ${seen.message}`,
        );
      }
    }
  });

  it('p = 100 is the largest value, and every result is one of the observed values', () => {
    const values = [5.5, 0.5, 3.25, 8.75, 2];
    check(percentile(values, 100) === 8.75, `percentile(${show(values)}, 100) is the maximum`, '8.75', show(percentile(values, 100)));
    for (const p of [0.1, 13, 37.5, 50, 99.99]) {
      const seen = percentile(values, p);
      check(values.includes(seen), `percentile(${show(values)}, ${p}) must be one of the values: nearest rank never interpolates`, `one of ${show(values)}`, show(seen));
    }
  });

  it('agrees with the grader on generated samples: text-order traps, negatives, huge numbers, duplicates, whole-number ranks', () => {
    compareWithOracle<Args, number | typeof REFUSED>(
      {
        inputs: validArb,
        learner: (values, p) => answerOf(() => percentile(values, p)),
        oracle: (values, p) => percentileOracle(values, p),
        same: (seen, expected) => seen === REFUSED || seen === expected,
        call: ([values, p]) => `percentile(${listed(values)}, ${p}) is the value at rank ⌈${p} × ${values.length} / 100⌉ = ${nearestRank(p, values.length)} of the sorted values`,
        render: (r) => (r === REFUSED ? 'a RangeError' : show(r)),
        numRuns: 150,
      },
      'nearest rank',
    );
  });
});

// ---- A.1.validation ---------------------------------------------------------------------------
/** What a call did with an input it must refuse, in words; "refused, naming X" when it did it right. */
function refusal(run: () => unknown, names: RegExp, named: string): string {
  const o = outcome(run);
  if ('returned' in o) return `returned ${show(o.returned)}`;
  if (o.threw !== 'RangeError') return `threw ${o.threw} (${o.message.slice(0, 80)}), not a RangeError`;
  return names.test(o.message) ? `a RangeError naming ${named}` : `a RangeError whose message does not name ${named}: "${o.message.slice(0, 100)}"`;
}
const naming = (value: number): RegExp => new RegExp(String(value).replace(/[.+]/g, '\\$&'));

type Bad = { values: number[]; p: number; names: RegExp; named: string; why: string };
const badArb: fc.Arbitrary<Bad> = fc.oneof(
  pArb.map((p) => ({ values: [], p, names: /empty/i, named: '"empty"', why: 'there is no value to pick' })),
  fc
    .tuple(fc.array(valueArb, { minLength: 1, maxLength: 20 }), fc.constantFrom(0, -1, -50, -0.5, 100.5, 101, 150, 1e9, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY))
    .map(([values, p]) => ({ values, p, names: naming(p), named: `p (${p})`, why: 'p must be in (0, 100]' })),
  fc
    .tuple(fc.array(valueArb, { minLength: 0, maxLength: 20 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), fc.nat(), pArb)
    .map(([values, bad, at, p]) => {
      const list = [...values];
      list.splice(at % (list.length + 1), 0, bad);
      return { values: list, p, names: naming(bad), named: `the bad value (${bad})`, why: 'every value must be a finite number' };
    }),
);

describe('A.1.validation', () => {
  it('refuses an empty list, a p outside (0, 100] and non-finite values with a RangeError naming the problem', () => {
    const fixed: Bad[] = [
      { values: [], p: 50, names: /empty/i, named: '"empty"', why: 'there is no value to pick' },
      ...[0, -5, 100.5, 150, Number.NaN].map((p) => ({ values: [1, 2, 3], p, names: naming(p), named: `p (${p})`, why: 'p must be in (0, 100]' })),
      { values: [3, Number.NaN, 1], p: 50, names: /NaN/, named: 'NaN', why: 'NaN is not a latency' },
      { values: [3, Number.POSITIVE_INFINITY], p: 50, names: /Infinity/, named: 'Infinity', why: 'every value must be finite' },
    ];
    for (const bad of fixed) {
      const want = `a RangeError naming ${bad.named}`;
      const seen = refusal(() => percentile(bad.values, bad.p), bad.names, bad.named);
      check(seen === want, `percentile(${show(bad.values)}, ${show(bad.p)}) must be refused (${bad.why})`, want, seen);
    }
    for (const values of [[], [4, Number.NaN]]) {
      const named = values.length === 0 ? '"empty"' : 'NaN';
      const want = `a RangeError naming ${named}`;
      const seen = refusal(() => summarize(values), values.length === 0 ? /empty/i : /NaN/, named);
      check(seen === want, `summarize(${show(values)}) must be refused`, want, seen);
    }
    compareWithOracle<[Bad], string>(
      {
        inputs: badArb.map((b) => [b] as [Bad]),
        learner: (b) => refusal(() => percentile(b.values, b.p), b.names, b.named),
        oracle: (b) => `a RangeError naming ${b.named}`,
        call: ([b]) => `percentile(${listed(b.values)}, ${show(b.p)}) must be refused (${b.why})`,
        render: (r) => r,
        numRuns: 100,
        structuredClone: false,
      },
      'a bad input',
    );
  });

  it('answers every valid call: negative, huge, duplicate values and any p in (0, 100], p = 100 included', () => {
    const answers = (run: () => unknown): string => {
      const o = outcome(run);
      return 'returned' in o ? 'an answer' : `throws ${o.threw}: ${o.message.slice(0, 120)}`;
    };
    compareWithOracle<Args, string>(
      {
        inputs: validArb,
        learner: (values, p) => answers(() => percentile(values, p)),
        oracle: () => 'an answer',
        call: ([values, p]) => `percentile(${listed(values)}, ${p}) is a valid call`,
        render: (r) => r,
        numRuns: 100,
      },
      'a valid input refused',
    );
    compareWithOracle<[number[]], string>(
      {
        inputs: summaryValuesArb.map((v) => [v] as [number[]]),
        learner: (values) => answers(() => summarize(values)),
        oracle: () => 'an answer',
        call: ([values]) => `summarize(${listed(values)}) is a valid call`,
        render: (r) => r,
        numRuns: 100,
      },
      'a valid input refused',
    );
  });

  it("leaves the caller's array as it was", () => {
    // Only a function that answers can be judged on what it does to its input.
    const answered = outcome(() => percentile([30, 10, 20], 50));
    if (!('returned' in answered)) throw mismatch('percentile([30, 10, 20], 50) must answer before what it does to its input can be judged', '20', showOutcome(answered));
    const untouched = (values: number[], p: number): string => {
      const mine = [...values];
      outcome(() => percentile(mine, p));
      if (mine.some((v, i) => !Object.is(v, values[i]))) return `percentile() reordered it to ${listed(mine)}`;
      outcome(() => summarize(mine));
      if (mine.some((v, i) => !Object.is(v, values[i]))) return `summarize() reordered it to ${listed(mine)}`;
      return 'the array as it was';
    };
    compareWithOracle<Args, string>(
      {
        inputs: fc.oneof(fc.constant<Args>([[30, 10, 20, 50, 40], 50]), generalArb.filter(([values]) => values.length > 1)),
        learner: untouched,
        oracle: () => 'the array as it was',
        call: ([values, p]) => `after percentile(values, ${p}) and summarize(values) with values = ${listed(values)}, values must be unchanged: sort a copy`,
        render: (r) => r,
        numRuns: 100,
      },
      'the input was reordered',
    );
  });
});

// ---- A.1.averages-lie -------------------------------------------------------------------------
/** summarize's own job: count, mean and max, and each pN being the percentile at N (right, or at
 * least what the learner's own percentile() says: a wrong percentile() is A.1.nearest-rank's fail). */
function summaryProblem(values: readonly number[], seen: unknown): string | undefined {
  const want = summarizeOracle(values);
  if (!seen || typeof seen !== 'object') return `returned ${show(seen)}`;
  const s = seen as Record<string, unknown>;
  if (s.count !== want.count) return `count ${show(s.count)}`;
  const mean = s.mean;
  const scale = Math.max(1, ...values.map((v) => Math.abs(v)));
  if (typeof mean !== 'number' || !(Math.abs(mean - want.mean) <= 1e-9 * scale)) return `mean ${show(mean)}`;
  if (s.max !== want.max) return `max ${show(s.max)}`;
  for (const [key, p] of [['p50', 50], ['p95', 95], ['p99', 99], ['p999', 99.9]] as const) {
    const own = outcome(() => percentile(values, p));
    if (s[key] !== want[key] && !('returned' in own && s[key] === own.returned)) return `${key} ${show(s[key])}`;
  }
  return undefined;
}
/** What is wrong with summarize(values), if anything (an exception included). */
function summaryOf(values: readonly number[]): string | undefined {
  const o = outcome(() => summarize(values));
  return 'returned' in o ? summaryProblem(values, o.returned) : `throws ${o.threw}: ${o.message.slice(0, 120)}`;
}
const wanted = (values: readonly number[]): string => {
  const w = summarizeOracle(values);
  return `count ${w.count}, mean ${w.mean}, p50 ${w.p50}, p95 ${w.p95}, p99 ${w.p99}, p999 ${w.p999}, max ${w.max}`;
};

describe('A.1.averages-lie', () => {
  it('99 × 10 ms + 1 × 10 000 ms: the mean and p99 look fine, p99.9 and max show the slow request', () => {
    // the slow request arrives in the middle of the traffic, not at the end
    const values = [...Array<number>(60).fill(10), 10_000, ...Array<number>(39).fill(10)];
    const problem = summaryOf(values);
    check(problem === undefined, 'summarize(99 × 10 ms with 1 × 10 000 ms in the middle)', 'count 100, mean 109.9, p50 10, p95 10, p99 10, p999 10000, max 10000', problem ?? '');
  });

  it('a second sample: 1 001 requests, 2 of them slow', () => {
    const values = Array.from({ length: 1001 }, (_, i) => (i === 17 ? 4000 : i === 503 ? 2500 : 20 + (i % 10)));
    const problem = summaryOf(values);
    check(problem === undefined, 'summarize(999 values of 20..29 ms plus 2500 and 4000 ms)', wanted(values), problem ?? '');
  });

  it('agrees with the grader on generated samples', () => {
    compareWithOracle<[number[]], string>(
      {
        inputs: summaryValuesArb.map((v) => [v] as [number[]]),
        learner: (values) => {
          const seen = answerOf(() => summarize(values));
          return seen === REFUSED ? 'right' : (summaryProblem(values, seen) ?? 'right');
        },
        oracle: () => 'right',
        call: ([values]) => `summarize(${listed(values)}) should give ${wanted(values)}`,
        render: (r) => (r === 'right' ? 'those values' : r),
        numRuns: 150,
      },
      'the summary',
    );
  });
});
