// A.2 — Error rate, availability and the error budget an SLO leaves you.
// Lesson: lessons/A-concepts.md, "A.2 Error rate and error budgets". Grade: npm run grade -- A.2
//
// Rates and SLOs are fractions in this file: 0.015 is 1.5 %, an SLO of 0.999 is "99.9 %".
// Every function refuses bad input with a RangeError whose message contains the bad value:
// negative or non-finite counts, errors > total, an slo not strictly between 0 and 1, days that are
// not a finite number above 0. Everything else gets an answer: counts need not be whole numbers
// (Prometheus' increase() often gives 12.5), and 0 requests is valid traffic.

/** Failed requests as a fraction of all requests (0..1). With no traffic nothing failed: 0. */
export function errorRate(total: number, errors: number): number {
  // TODO(A.2): validate, then errors / total (0 when total is 0).
  void total;
  void errors;
  throw new Error('TODO(A.2): errorRate is not written yet (exercises/A/error-budget.ts)');
}

/** The fraction of requests that succeeded: 1 − errorRate. With no traffic: 1. */
export function availability(total: number, errors: number): number {
  // TODO(A.2)
  void total;
  void errors;
  throw new Error('TODO(A.2): availability is not written yet (exercises/A/error-budget.ts)');
}

/** Minutes of full outage an SLO allows over a window of `days` days: 0.999 over 30 days → 43.2. */
export function errorBudgetMinutes(slo: number, days = 30): number {
  // TODO(A.2): the share you may fail (1 − slo) times the minutes in the window.
  void slo;
  void days;
  throw new Error('TODO(A.2): errorBudgetMinutes is not written yet (exercises/A/error-budget.ts)');
}

/**
 * The fraction of the error budget still left after `errors` failures out of `total` requests:
 * 1 = untouched, 0 = used up exactly, below 0 = blown (−0.5 means 150 % used). No traffic: 1.
 */
export function budgetRemaining(slo: number, total: number, errors: number): number {
  // TODO(A.2): the budget allows (1 − slo) × total failed requests; how much of it is left?
  void slo;
  void total;
  void errors;
  throw new Error('TODO(A.2): budgetRemaining is not written yet (exercises/A/error-budget.ts)');
}
