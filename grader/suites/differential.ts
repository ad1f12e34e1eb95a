// Differential checks for the hidden suites: a learner's function is compared with the course's
// oracle on generated inputs (fast-check). The run's seed comes from the grader (WORKBOOK_SEED), so a
// report's seed replays the same inputs; the shrunk counterexample becomes "expected" and "seen".
import fc from 'fast-check';

/** The grade's seed, or a fixed one when a suite runs on its own. */
export const SEED = (() => {
  const raw = Number(process.env.WORKBOOK_SEED);
  return Number.isSafeInteger(raw) && raw >= 0 ? raw : 42;
})();

/** What one call did: returned a value, or threw (only the error's class matters to the checks). */
export type Outcome<R> = { returned: R } | { threw: string; message: string };

export function outcome<R>(call: () => R): Outcome<R> {
  try {
    return { returned: call() };
  } catch (error) {
    return error instanceof Error ? { threw: error.constructor.name, message: error.message } : { threw: typeof error, message: String(error) };
  }
}

/** A value as a person reads it: -0, NaN and ±Infinity spelled out, long arrays cut. */
export function show(value: unknown, max = 12): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) {
    const shown = value.slice(0, max).map((v) => show(v, max));
    return `[${shown.join(', ')}${value.length > max ? `, ... (${value.length} items)` : ''}]`;
  }
  if (value instanceof Map) return `Map(${show([...value.entries()], max)})`;
  if (value && typeof value === 'object') {
    return `{ ${Object.entries(value as Record<string, unknown>).slice(0, max).map(([k, v]) => `${k}: ${show(v, max)}`).join(', ')} }`;
  }
  return String(value);
}

export function showOutcome<R>(o: Outcome<R>, render: (r: R) => string = show): string {
  return 'returned' in o ? render(o.returned) : `throws ${o.threw}${o.message ? `: ${o.message.slice(0, 160)}` : ''}`;
}

/** The message format the grader reads: the first line says what went wrong; `expected:` and
 * `seen:` lines become the report's fields. */
export function mismatch(what: string, expected: string, seen: string): Error {
  return new Error(`${what}\nexpected: ${expected}\nseen: ${seen}`);
}

export interface Differential<Args extends unknown[], R> {
  /** Generates the arguments of one call. */
  inputs: fc.Arbitrary<Args>;
  learner: (...args: Args) => R;
  oracle: (...args: Args) => R;
  /** How the call reads in a message, e.g. `percentile([3, 1], 50)`. */
  call: (args: Args) => string;
  /** When two returned values count as the same (default: Object.is, or equal JSON for objects). */
  same?: (seen: R, expected: R, args: Args) => boolean;
  /** When both throw, must the error classes match? (default: yes) */
  sameError?: boolean;
  render?: (r: R) => string;
  /** Only look at the learner's answer where this holds (e.g. only valid inputs). */
  when?: (args: Args) => boolean;
  numRuns?: number;
  /** Leave the arguments alone? Copies are passed by default, so a function that sorts in place
   * cannot change what the oracle sees. */
  structuredClone?: boolean;
}

const defaultSame = (a: unknown, b: unknown): boolean =>
  Object.is(a, b) || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b));

function agrees<R>(seen: Outcome<R>, expected: Outcome<R>, same: (s: R, e: R) => boolean, sameError: boolean): boolean {
  if ('returned' in expected) return 'returned' in seen && same(seen.returned, expected.returned);
  if (!('threw' in seen)) return false;
  return !sameError || seen.threw === expected.threw;
}

/** Compares learner and oracle on generated inputs; throws a readable mismatch on the first
 * (shrunk) disagreement. */
export function compareWithOracle<Args extends unknown[], R>(d: Differential<Args, R>, what: string): void {
  const same = (s: R, e: R, args: Args) => (d.same ?? defaultSame)(s, e, args);
  const clone = (args: Args): Args => (d.structuredClone === false ? args : (structuredClone(args) as Args));
  const property = fc.property(d.inputs, (args) => {
    if (d.when && !d.when(args)) return true;
    const expected = outcome(() => d.oracle(...clone(args)));
    const seen = outcome(() => d.learner(...clone(args)));
    return agrees(seen, expected, (s, e) => same(s, e, args), d.sameError ?? true);
  });
  const result = fc.check(property, { seed: SEED, numRuns: d.numRuns ?? 200, endOnFailure: false });
  if (!result.failed || !result.counterexample) return;
  const [args] = result.counterexample as [Args];
  const expected = outcome(() => d.oracle(...clone(args)));
  const seen = outcome(() => d.learner(...clone(args)));
  throw mismatch(`${what}: ${d.call(args)} (a generated case, seed ${SEED})`, showOutcome(expected, d.render), showOutcome(seen, d.render));
}
