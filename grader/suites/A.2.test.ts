// A.2 — error rate, availability, error-budget minutes, budget remaining, and input validation.
import { describe, expect, it } from 'vitest';
import { availability, budgetRemaining, errorBudgetMinutes, errorRate } from '@target/A/error-budget.js';

const DIGITS = 9;

describe('A.2.error-rate', () => {
  it('errorRate is a fraction of all requests, availability is what is left', () => {
    const cases: Array<[total: number, errors: number, rate: number]> = [
      [1000, 15, 0.015],
      [200, 0, 0],
      [200, 200, 1],
      [8, 1, 0.125],
      [3, 1, 1 / 3],
    ];
    for (const [total, errors, rate] of cases) {
      const seen = errorRate(total, errors);
      expect(seen, `errorRate(${total}, ${errors}) should be ${rate} (a fraction, not a percentage), saw ${seen}`).toBeCloseTo(rate, DIGITS);
      const up = availability(total, errors);
      expect(up, `availability(${total}, ${errors}) should be 1 − ${rate} = ${1 - rate}, saw ${up}`).toBeCloseTo(1 - rate, DIGITS);
    }
  });

  it('with no traffic nothing failed: errorRate(0, 0) is 0 and availability(0, 0) is 1', () => {
    const rate = errorRate(0, 0);
    expect(rate, `errorRate(0, 0) should be 0 (no requests, so no failures), saw ${rate}`).toBe(0);
    const up = availability(0, 0);
    expect(up, `availability(0, 0) should be 1, saw ${up}`).toBe(1);
  });
});

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
      const seen = days === undefined ? errorBudgetMinutes(slo) : errorBudgetMinutes(slo, days);
      const call = days === undefined ? `errorBudgetMinutes(${slo})` : `errorBudgetMinutes(${slo}, ${days})`;
      const note = days === undefined ? ' (the window defaults to 30 days)' : '';
      expect(seen, `${call} should be ${minutes} minutes${note}, saw ${seen}`).toBeCloseTo(minutes, 6);
    }
  });
});

describe('A.2.budget-remaining', () => {
  it('the fraction of the budget left: 1 untouched, 0 used up, negative when blown', () => {
    const cases: Array<[slo: number, total: number, errors: number, left: number, why: string]> = [
      [0.999, 100_000, 0, 1, 'no errors: the whole budget is left'],
      [0.999, 100_000, 25, 0.75, '100 errors allowed, 25 used'],
      [0.999, 100_000, 100, 0, '100 errors allowed, all 100 used'],
      [0.999, 100_000, 150, -0.5, '100 errors allowed, 150 used: blown by half'],
      [0.99, 2_000, 5, 0.75, '20 errors allowed, 5 used'],
      [0.9999, 1_000_000, 40, 0.6, '100 errors allowed, 40 used'],
    ];
    for (const [slo, total, errors, left, why] of cases) {
      const seen = budgetRemaining(slo, total, errors);
      expect(seen, `budgetRemaining(${slo}, ${total}, ${errors}) should be ${left} (${why}), saw ${seen}`).toBeCloseTo(left, DIGITS);
    }
  });

  it('with no traffic the budget is untouched', () => {
    const seen = budgetRemaining(0.999, 0, 0);
    expect(seen, `budgetRemaining(0.999, 0, 0) should be 1 (nothing spent), saw ${seen}`).toBe(1);
  });
});

function expectRangeError(call: string, run: () => unknown, bad: number): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `${call} should throw a RangeError`).toBeInstanceOf(RangeError);
  expect((thrown as Error).message, `${call}: the RangeError should name the bad value ${bad}`).toContain(String(bad));
}

describe('A.2.validation', () => {
  it('refuses bad counts and bad SLOs with a RangeError naming the bad value', () => {
    expectRangeError('errorRate(10, 11) (more errors than requests)', () => errorRate(10, 11), 11);
    expectRangeError('availability(10, 11) (more errors than requests)', () => availability(10, 11), 11);
    expectRangeError('errorRate(-5, 0)', () => errorRate(-5, 0), -5);
    expectRangeError('errorRate(10, -1)', () => errorRate(10, -1), -1);
    expectRangeError('errorRate(NaN, 0)', () => errorRate(Number.NaN, 0), Number.NaN);
    for (const slo of [0, 1, 1.5, 99.9, -0.1, Number.NaN]) {
      expectRangeError(`errorBudgetMinutes(${slo}) (slo must be strictly between 0 and 1)`, () => errorBudgetMinutes(slo), slo);
      expectRangeError(`budgetRemaining(${slo}, 100, 1) (slo must be strictly between 0 and 1)`, () => budgetRemaining(slo, 100, 1), slo);
    }
    expectRangeError('errorBudgetMinutes(0.999, 0)', () => errorBudgetMinutes(0.999, 0), 0);
    expectRangeError('errorBudgetMinutes(0.999, -7)', () => errorBudgetMinutes(0.999, -7), -7);
    expectRangeError('budgetRemaining(0.999, 10, 11) (more errors than requests)', () => budgetRemaining(0.999, 10, 11), 11);
    expectRangeError('budgetRemaining(0.999, -1, 0)', () => budgetRemaining(0.999, -1, 0), -1);
  });
});
