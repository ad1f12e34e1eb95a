// The grader's own error-rate and error-budget arithmetic for A.2 (fractions, never percentages).

const MINUTES_PER_DAY = 24 * 60;

export function errorRateOracle(total: number, errors: number): number {
  return total === 0 ? 0 : errors / total;
}

export function availabilityOracle(total: number, errors: number): number {
  return 1 - errorRateOracle(total, errors);
}

export function budgetMinutesOracle(slo: number, days = 30): number {
  return (1 - slo) * days * MINUTES_PER_DAY;
}

export function budgetRemainingOracle(slo: number, total: number, errors: number): number {
  if (total === 0) return 1;
  const allowed = (1 - slo) * total;
  return (allowed - errors) / allowed;
}

/** Two results agree when they are the same to about nine significant digits. */
export const close = (seen: unknown, expected: number): boolean =>
  typeof seen === 'number' && (Object.is(seen, expected) || Math.abs(seen - expected) <= 1e-9 * Math.max(1, Math.abs(expected)));
