// A canary for the hidden suites (a setupFile of vitest.config.ts). Learner code runs inside the test
// worker, so it could patch the assertion library or the built-ins it relies on and make every check
// pass. This file runs before each suite file imports learner code; after every test it checks that the
// built-ins are still those of guard-baseline.ts (kept before any learner code ran in the worker) and
// that assertions which must fail still fail.
// When they do not, the test fails with "the test framework was tampered with: ...", which the grader
// reports as "could not be graded" (grader/run/suites.ts).
import { afterEach, expect } from 'vitest';
import { RealError, replaced } from './guard-baseline.js';

export const TAMPERED = 'the test framework was tampered with';

class Canary {}

/** Assertions that must throw: [what, the assertion]. */
const MUST_FAIL: Array<[string, () => unknown]> = [
  ['expect(1).toBe(2)', () => expect(1).toBe(2)],
  ['expect(1).not.toBe(1)', () => expect(1).not.toBe(1)],
  ['expect({ a: 1 }).toEqual({ a: 2 })', () => expect({ a: 1 }).toEqual({ a: 2 })],
  ['expect([1]).toEqual([2])', () => expect([1]).toEqual([2])],
  ["expect({ a: 1 }).toStrictEqual({ a: '1' })", () => expect({ a: 1 }).toStrictEqual({ a: '1' })],
  ["expect('abc').toContain('z')", () => expect('abc').toContain('z')],
  ['expect([1, 2]).toContain(3)', () => expect([1, 2]).toContain(3)],
  ["expect('abc').toMatch(/z/)", () => expect('abc').toMatch(/z/)],
  ['expect(1).toBeGreaterThan(2)', () => expect(1).toBeGreaterThan(2)],
  ['expect(2).toBeLessThanOrEqual(1)', () => expect(2).toBeLessThanOrEqual(1)],
  ['expect(1).toBeCloseTo(2)', () => expect(1).toBeCloseTo(2)],
  ['expect(() => {}).toThrow()', () => expect(() => {}).toThrow()],
  ['expect([1]).toHaveLength(2)', () => expect([1]).toHaveLength(2)],
  ['expect({}).toBeInstanceOf(RangeError)', () => expect({}).toBeInstanceOf(RangeError)],
  ['expect(new Error()).toBeInstanceOf(Canary)', () => expect(new RealError('canary')).toBeInstanceOf(Canary)],
  ['expect(0).toBeTruthy()', () => expect(0).toBeTruthy()],
  ['expect(undefined).toBeDefined()', () => expect(undefined).toBeDefined()],
  ['expect(1).toBeUndefined()', () => expect(1).toBeUndefined()],
  ["expect({ a: 1 }).toHaveProperty('b')", () => expect({ a: 1 }).toHaveProperty('b')],
  ["expect.fail('canary')", () => expect.fail('canary')],
];

function passingWhenTheyMustFail(): string[] {
  const found: string[] = [];
  for (let i = 0; i < MUST_FAIL.length; i++) {
    const entry = MUST_FAIL[i]!;
    let threw = false;
    try {
      entry[1]();
    } catch {
      threw = true;
    }
    if (!threw) found[found.length] = `${entry[0]} passed when it must fail`;
  }
  return found;
}

const MAX_SHOWN = 4;

afterEach(() => {
  // What was replaced first (the canary's own assertions may depend on it), then how expect behaves.
  const problems = replaced();
  const wrong = passingWhenTheyMustFail();
  for (let i = 0; i < wrong.length; i++) problems[problems.length] = wrong[i]!;
  if (problems.length === 0) return;
  let text = '';
  for (let i = 0; i < problems.length && i < MAX_SHOWN; i++) text += `${i ? '; ' : ''}${problems[i]!}`;
  if (problems.length > MAX_SHOWN) text += `; and ${problems.length - MAX_SHOWN} more`;
  throw new RealError(`${TAMPERED}: ${text}`);
});
