// A.2 — Error rate, availability and the error budget an SLO leaves you.
// Lesson: lessons/A-concepts.md, "A.2 Error rate and error budgets". Grade: npm run grade -- A.2
//
// Rates and SLOs are fractions in this file: 0.015 is 1.5 %, an SLO of 0.999 is "99.9 %".

const MINUTES_PER_DAY = 24 * 60;

function checkCounts(total: number, errors: number): void {
  if (!Number.isFinite(total) || total < 0) {
    throw new RangeError(`total must be a finite number ≥ 0, got ${total}`);
  }
  if (!Number.isFinite(errors) || errors < 0) {
    throw new RangeError(`errors must be a finite number ≥ 0, got ${errors}`);
  }
  if (errors > total) {
    throw new RangeError(`errors (${errors}) cannot exceed total requests (${total})`);
  }
}

function checkSlo(slo: number): void {
  if (!(slo > 0 && slo < 1)) {
    throw new RangeError(`slo must be a fraction strictly between 0 and 1 (0.999 for 99.9 %), got ${slo}`);
  }
}

/** Failed requests as a fraction of all requests (0..1). With no traffic nothing failed: 0. */
export function errorRate(total: number, errors: number): number {
  checkCounts(total, errors);
  if (total === 0) return 0;
  return errors / total;
}

/** The fraction of requests that succeeded: 1 − errorRate. With no traffic: 1. */
export function availability(total: number, errors: number): number {
  return 1 - errorRate(total, errors);
}

/** Minutes of full outage an SLO allows over a window of `days` days: 0.999 over 30 days → 43.2. */
export function errorBudgetMinutes(slo: number, days = 30): number {
  checkSlo(slo);
  if (!Number.isFinite(days) || days <= 0) {
    throw new RangeError(`days must be a finite number > 0, got ${days}`);
  }
  return (1 - slo) * days * MINUTES_PER_DAY;
}

/**
 * The fraction of the error budget still left after `errors` failures out of `total` requests:
 * 1 = untouched, 0 = used up exactly, below 0 = blown (−0.5 means 150 % used). No traffic: 1.
 */
export function budgetRemaining(slo: number, total: number, errors: number): number {
  checkSlo(slo);
  checkCounts(total, errors);
  if (total === 0) return 1;
  const allowedErrors = (1 - slo) * total;
  return 1 - errors / allowedErrors;
}
