// A.2 — error rate, availability, error-budget minutes, budget remaining, and input validation: a few
// readable cases first, then the learner's functions against the grader's oracle on generated inputs.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  availabilityOracle,
  budgetMinutesOracle,
  budgetRemainingOracle,
  close,
  errorRateOracle,
} from './oracles/A.2.js';
import { compareWithOracle, mismatch, outcome, show, showOutcome } from './differential.js';
import { availability, budgetRemaining, errorBudgetMinutes, errorRate } from '@target/A/error-budget.js';

/** A RangeError on a valid call is A.2.validation's business: the other criteria judge the answers. */
const REFUSED = Symbol('refused a valid call');
function answerOf(run: () => number): number | typeof REFUSED {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) return REFUSED;
    throw error;
  }
}
const sameOrRefused = (seen: number | typeof REFUSED, expected: number | typeof REFUSED): boolean =>
  seen === REFUSED || (expected !== REFUSED && close(seen, expected));
const rendered = (r: number | typeof REFUSED): string => (r === REFUSED ? 'a RangeError' : show(r));

/** A hand-picked case: the learner's answer, or why it is not the expected one. */
function expectClose(call: string, run: () => number, want: number, why: string): void {
  const seen = outcome(run);
  if ('returned' in seen && close(seen.returned, want)) return;
  throw mismatch(`${call} (${why})`, show(want), showOutcome(seen));
}

// ---- generators -------------------------------------------------------------------------------
type Counts = [total: number, errors: number];
const totalArb: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 1_000_000 }),
  fc.integer({ min: 1, max: 2_000_000_000 }),
  // counts from Prometheus' increase() are not whole numbers
  fc.integer({ min: 1, max: 10_000_000 }).map((k) => k / 100),
  fc.constantFrom(1, 3, 7, 1e12, 1e15),
);
const countsArb: fc.Arbitrary<Counts> = fc
  .tuple(totalArb, fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })), fc.boolean())
  .map(([total, share, whole]) => {
    const errors = share === 1 ? total : whole ? Math.floor(total * share) : total * share;
    return [total, Math.min(total, errors)] as Counts;
  });
const sloArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0.9, 0.95, 0.99, 0.995, 0.999, 0.9995, 0.9999, 0.99999),
  fc.integer({ min: 1, max: 999 }).map((k) => k / 1000),
  fc.double({ min: 0.001, max: 0.99999, noNaN: true }),
);
const daysArb: fc.Arbitrary<number | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(1, 7, 28, 30, 31, 90, 365),
  fc.integer({ min: 1, max: 400 }),
  fc.integer({ min: 1, max: 24 * 60 }).map((h) => h / 24),
);
const minutesCall = (slo: number, days: number | undefined): string =>
  days === undefined ? `errorBudgetMinutes(${slo})` : `errorBudgetMinutes(${slo}, ${days})`;
const callMinutes = (slo: number, days: number | undefined): number => (days === undefined ? errorBudgetMinutes(slo) : errorBudgetMinutes(slo, days));

// ---- A.2.error-rate ---------------------------------------------------------------------------
describe('A.2.error-rate', () => {
  it('errorRate is a fraction of all requests, availability is what is left', () => {
    const cases: Array<[total: number, errors: number, rate: number]> = [
      [1000, 15, 0.015],
      [200, 0, 0],
      [200, 200, 1],
      [8, 1, 0.125],
      [3, 1, 1 / 3],
      [0, 0, 0],
    ];
    for (const [total, errors, rate] of cases) {
      const why = total === 0 ? 'no requests, so no failures' : 'a fraction, not a percentage';
      expectClose(`errorRate(${total}, ${errors})`, () => errorRate(total, errors), rate, why);
      expectClose(`availability(${total}, ${errors})`, () => availability(total, errors), 1 - rate, `1 − the error rate, ${why}`);
    }
  });

  it('agrees with the grader on generated counts: zero traffic, all failed, fractional and huge counts', () => {
    compareWithOracle<Counts, number | typeof REFUSED>(
      {
        inputs: countsArb,
        learner: (total, errors) => answerOf(() => errorRate(total, errors)),
        oracle: errorRateOracle,
        same: sameOrRefused,
        call: ([total, errors]) => `errorRate(${total}, ${errors}) is errors / total as a fraction (0 with no traffic)`,
        render: rendered,
        numRuns: 150,
      },
      'the error rate',
    );
    compareWithOracle<Counts, number | typeof REFUSED>(
      {
        inputs: countsArb,
        learner: (total, errors) => answerOf(() => availability(total, errors)),
        oracle: availabilityOracle,
        same: sameOrRefused,
        call: ([total, errors]) => `availability(${total}, ${errors}) is 1 − the error rate (1 with no traffic)`,
        render: rendered,
        numRuns: 150,
      },
      'the availability',
    );
  });
});

// ---- A.2.budget-minutes -----------------------------------------------------------------------
describe('A.2.budget-minutes', () => {
  it('minutes of outage an SLO allows: (1 − slo) × days × 24 × 60', () => {
    const cases: Array<[slo: number, days: number | undefined, minutes: number]> = [
      [0.999, undefined, 43.2],
      [0.9999, undefined, 4.32],
      [0.999, 30, 43.2],
      [0.99, 7, 100.8],
      [0.995, 28, 201.6],
      [0.9, 1, 144],
    ];
    for (const [slo, days, minutes] of cases) {
      expectClose(minutesCall(slo, days), () => callMinutes(slo, days), minutes, days === undefined ? 'the window defaults to 30 days' : `${days} days of ${24 * 60} minutes`);
    }
  });

  it('agrees with the grader on generated SLOs and windows', () => {
    compareWithOracle<[number, number | undefined], number | typeof REFUSED>(
      {
        inputs: fc.tuple(sloArb, daysArb),
        learner: (slo, days) => answerOf(() => callMinutes(slo, days)),
        oracle: (slo, days) => budgetMinutesOracle(slo, days),
        same: sameOrRefused,
        call: ([slo, days]) => `${minutesCall(slo, days)} is (1 − ${slo}) × ${days ?? 30} × 24 × 60`,
        render: rendered,
        numRuns: 150,
      },
      'the budget in minutes',
    );
  });
});

// ---- A.2.budget-remaining ---------------------------------------------------------------------
describe('A.2.budget-remaining', () => {
  it('the fraction of the budget left: 1 untouched, 0 used up, negative when blown', () => {
    const cases: Array<[slo: number, total: number, errors: number, left: number, why: string]> = [
      [0.999, 100_000, 0, 1, 'no errors: the whole budget is left'],
      [0.999, 100_000, 25, 0.75, '100 errors allowed, 25 used'],
      [0.999, 100_000, 100, 0, '100 errors allowed, all 100 used'],
      [0.999, 100_000, 150, -0.5, '100 errors allowed, 150 used: blown by half'],
      [0.99, 2_000, 5, 0.75, '20 errors allowed, 5 used'],
      [0.9999, 1_000_000, 40, 0.6, '100 errors allowed, 40 used'],
      [0.999, 0, 0, 1, 'no traffic: nothing spent'],
    ];
    for (const [slo, total, errors, left, why] of cases) {
      expectClose(`budgetRemaining(${slo}, ${total}, ${errors})`, () => budgetRemaining(slo, total, errors), left, why);
    }
  });

  it('agrees with the grader on generated SLOs and counts', () => {
    compareWithOracle<[number, number, number], number | typeof REFUSED>(
      {
        inputs: fc.tuple(sloArb, countsArb).map(([slo, [total, errors]]) => [slo, total, errors] as [number, number, number]),
        learner: (slo, total, errors) => answerOf(() => budgetRemaining(slo, total, errors)),
        oracle: budgetRemainingOracle,
        same: sameOrRefused,
        call: ([slo, total, errors]) => `budgetRemaining(${slo}, ${total}, ${errors}): (1 − ${slo}) × ${total} failures allowed, ${errors} used`,
        render: rendered,
        numRuns: 150,
      },
      'the budget left',
    );
  });
});

// ---- A.2.validation ---------------------------------------------------------------------------
/** What a call did with an input it must refuse, in words. */
function refusal(run: () => unknown, bad: number): string {
  const o = outcome(run);
  if ('returned' in o) return `returned ${show(o.returned)}`;
  if (o.threw !== 'RangeError') return `threw ${o.threw} (${o.message.slice(0, 80)}), not a RangeError`;
  return o.message.includes(String(bad)) ? `a RangeError naming ${bad}` : `a RangeError whose message does not name ${bad}: "${o.message.slice(0, 100)}"`;
}

interface Bad {
  call: string;
  run: () => unknown;
  bad: number;
  why: string;
}
const NOT_COUNTS = [-1, -5, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const NOT_SLOS = [0, 1, 1.5, 2, 99.9, 99, 100, -0.1, -0.999, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const NOT_DAYS = [0, -7, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

const badCountsArb: fc.Arbitrary<{ counts: Counts; bad: number; why: string }> = fc.oneof(
  fc.tuple(fc.constantFrom(...NOT_COUNTS), fc.integer({ min: 0, max: 1000 })).map(([total, errors]) => ({
    counts: [total, Number.isFinite(total) || Number.isNaN(total) ? 0 : errors] as Counts,
    bad: total,
    why: 'total must be a finite number ≥ 0',
  })),
  fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(...NOT_COUNTS)).map(([total, errors]) => ({
    counts: [total, errors] as Counts,
    bad: errors,
    why: 'errors must be a finite number ≥ 0',
  })),
  fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1000 })).map(([total, extra]) => ({
    counts: [total, total + extra] as Counts,
    bad: total + extra,
    why: 'more errors than requests',
  })),
);
const badArb: fc.Arbitrary<Bad> = fc.oneof(
  badCountsArb.map(({ counts: [t, e], bad, why }) => ({ call: `errorRate(${t}, ${e})`, run: () => errorRate(t, e), bad, why })),
  badCountsArb.map(({ counts: [t, e], bad, why }) => ({ call: `availability(${t}, ${e})`, run: () => availability(t, e), bad, why })),
  fc.tuple(sloArb, badCountsArb).map(([slo, { counts: [t, e], bad, why }]) => ({ call: `budgetRemaining(${slo}, ${t}, ${e})`, run: () => budgetRemaining(slo, t, e), bad, why })),
  fc.tuple(fc.constantFrom(...NOT_SLOS), countsArb).map(([slo, [t, e]]) => ({ call: `budgetRemaining(${slo}, ${t}, ${e})`, run: () => budgetRemaining(slo, t, e), bad: slo, why: 'slo must be strictly between 0 and 1' })),
  fc.tuple(fc.constantFrom(...NOT_SLOS), daysArb).map(([slo, days]) => ({ call: minutesCall(slo, days), run: () => callMinutes(slo, days), bad: slo, why: 'slo must be strictly between 0 and 1' })),
  fc.tuple(sloArb, fc.constantFrom(...NOT_DAYS)).map(([slo, days]) => ({ call: minutesCall(slo, days), run: () => callMinutes(slo, days), bad: days, why: 'days must be a finite number > 0' })),
);

describe('A.2.validation', () => {
  it('refuses bad counts, bad SLOs and bad windows with a RangeError naming the bad value', () => {
    const fixed: Bad[] = [
      { call: 'errorRate(10, 11)', run: () => errorRate(10, 11), bad: 11, why: 'more errors than requests' },
      { call: 'availability(10, 11)', run: () => availability(10, 11), bad: 11, why: 'more errors than requests' },
      { call: 'errorRate(-5, 0)', run: () => errorRate(-5, 0), bad: -5, why: 'a negative count' },
      { call: 'errorRate(10, -1)', run: () => errorRate(10, -1), bad: -1, why: 'a negative count' },
      { call: 'errorRate(NaN, 0)', run: () => errorRate(Number.NaN, 0), bad: Number.NaN, why: 'NaN is not a count' },
      { call: 'errorBudgetMinutes(99.9)', run: () => errorBudgetMinutes(99.9), bad: 99.9, why: '99.9 is a percentage: the SLO is a fraction, 0.999' },
      { call: 'errorBudgetMinutes(0.999, 0)', run: () => errorBudgetMinutes(0.999, 0), bad: 0, why: 'a window of 0 days' },
      { call: 'budgetRemaining(1, 100, 1)', run: () => budgetRemaining(1, 100, 1), bad: 1, why: 'an SLO of 100 % leaves no budget at all' },
      { call: 'budgetRemaining(0.999, 10, 11)', run: () => budgetRemaining(0.999, 10, 11), bad: 11, why: 'more errors than requests' },
    ];
    for (const { call, run, bad, why } of fixed) {
      const want = `a RangeError naming ${bad}`;
      const seen = refusal(run, bad);
      if (seen !== want) throw mismatch(`${call} must be refused (${why})`, want, seen);
    }
    compareWithOracle<[Bad], string>(
      {
        inputs: badArb.map((b) => [b] as [Bad]),
        learner: (b) => refusal(b.run, b.bad),
        oracle: (b) => `a RangeError naming ${b.bad}`,
        call: ([b]) => `${b.call} must be refused (${b.why})`,
        render: (r) => r,
        numRuns: 200,
        structuredClone: false,
      },
      'a bad input',
    );
  });

  it('answers every valid call: zero traffic, fractional and huge counts, any SLO in (0, 1), any positive window', () => {
    const answers = (run: () => unknown): string => {
      const o = outcome(run);
      return 'returned' in o ? 'an answer' : `throws ${o.threw}: ${o.message.slice(0, 120)}`;
    };
    const validArb: fc.Arbitrary<{ call: string; run: () => unknown }> = fc.oneof(
      countsArb.map(([t, e]) => ({ call: `errorRate(${t}, ${e})`, run: () => errorRate(t, e) })),
      countsArb.map(([t, e]) => ({ call: `availability(${t}, ${e})`, run: () => availability(t, e) })),
      fc.tuple(sloArb, daysArb).map(([slo, days]) => ({ call: minutesCall(slo, days), run: () => callMinutes(slo, days) })),
      fc.tuple(sloArb, countsArb).map(([slo, [t, e]]) => ({ call: `budgetRemaining(${slo}, ${t}, ${e})`, run: () => budgetRemaining(slo, t, e) })),
    );
    compareWithOracle<[{ call: string; run: () => unknown }], string>(
      {
        inputs: validArb.map((v) => [v] as [{ call: string; run: () => unknown }]),
        learner: (v) => answers(v.run),
        oracle: () => 'an answer',
        call: ([v]) => `${v.call} is a valid call`,
        render: (r) => r,
        numRuns: 200,
        structuredClone: false,
      },
      'a valid input refused',
    );
  });
});
