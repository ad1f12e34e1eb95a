// A canary for the hidden suites (a setupFile of vitest.config.ts). Learner code runs inside the test
// worker, so it could patch the assertion library or the built-ins it relies on and make every check
// pass. This file runs before any suite imports learner code: it keeps the real built-ins, and after
// every test checks that they are still in place and that assertions which must fail still fail.
// When they do not, the test fails with "the test framework was tampered with: ...", which the grader
// reports as "could not be graded" (grader/run/suites.ts).
import { afterEach, expect } from 'vitest';

export const TAMPERED = 'the test framework was tampered with';

const GLOBAL_EXPECT = Symbol.for('expect-global');
const RealError = Error;
const realDescriptor = Object.getOwnPropertyDescriptor;
const realGetPrototypeOf = Object.getPrototypeOf;
const realOwnKeys = Reflect.ownKeys;

type Holder = Record<PropertyKey, unknown>;

/** Built-ins the assertion library (and the suites' own checks) lean on, as [name, holder, key]. */
const WATCHED: Array<[string, Holder, PropertyKey]> = [];
const watch = (name: string, holder: object, keys: PropertyKey[]): void => {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    WATCHED[WATCHED.length] = [`${name}.${String(key)}`, holder as Holder, key];
  }
};
watch('Object', Object, ['is', 'keys', 'values', 'entries', 'assign', 'getPrototypeOf', 'getOwnPropertyNames', 'getOwnPropertyDescriptor', 'defineProperty', 'freeze', 'isFrozen']);
watch('Object.prototype', Object.prototype, ['hasOwnProperty', 'toString']);
watch('JSON', JSON, ['stringify', 'parse']);
watch('Array', Array, ['isArray', 'from']);
watch('Array.prototype', Array.prototype, ['every', 'some', 'includes', 'indexOf', 'map', 'filter', 'join', 'slice', 'sort', 'find', 'forEach', 'reduce', Symbol.iterator]);
watch('String.prototype', String.prototype, ['includes', 'indexOf', 'startsWith', 'endsWith', 'match', 'replace', 'slice', 'split', 'trim']);
watch('RegExp.prototype', RegExp.prototype, ['test', 'exec', Symbol.match]);
watch('Number', Number, ['isFinite', 'isNaN', 'isInteger']);
watch('Math', Math, ['abs', 'max', 'min', 'pow', 'round']);
watch('Function.prototype', Function.prototype, ['call', 'apply', 'bind', Symbol.hasInstance]);
watch('Reflect', Reflect, ['apply', 'ownKeys', 'getPrototypeOf']);
watch('globalThis', globalThis, ['Object', 'Array', 'String', 'Number', 'JSON', 'Math', 'Reflect', 'Error', 'TypeError', 'RangeError', 'RegExp', 'Symbol', 'Promise', 'Map', 'Set', 'isNaN', 'isFinite', 'expect']);
// The `expect` every suite imports is this one object: vitest keeps it on globalThis under a symbol.
WATCHED[WATCHED.length] = ["the global expect (globalThis[Symbol.for('expect-global')])", globalThis as unknown as Holder, GLOBAL_EXPECT];
// `instanceof RangeError` is what toBeInstanceOf checks: a Symbol.hasInstance of its own would fool it.
watch('RangeError', RangeError, [Symbol.hasInstance]);
watch('TypeError', TypeError, [Symbol.hasInstance]);
watch('Error', Error, [Symbol.hasInstance]);

interface Kept {
  name: string;
  holder: Holder;
  key: PropertyKey;
  present: boolean;
  value: unknown;
  get: unknown;
  set: unknown;
}

const snapshot = (name: string, holder: Holder, key: PropertyKey): Kept => {
  const d = realDescriptor(holder, key);
  return { name, holder, key, present: d !== undefined, value: d?.value, get: d?.get, set: d?.set };
};

const kept: Kept[] = [];
for (let i = 0; i < WATCHED.length; i++) {
  const [name, holder, key] = WATCHED[i]!;
  kept[kept.length] = snapshot(name, holder, key);
}
// Every matcher on the assertion's prototype chain, as it is now (vitest's own matchers included).
const assertionPrototypes: Holder[] = [];
for (let p = realGetPrototypeOf(expect(0)) as Holder | null; p && p !== Object.prototype; p = realGetPrototypeOf(p) as Holder | null) {
  assertionPrototypes[assertionPrototypes.length] = p;
}
for (let i = 0; i < assertionPrototypes.length; i++) {
  const proto = assertionPrototypes[i]!;
  const keys = realOwnKeys(proto);
  for (let j = 0; j < keys.length; j++) kept[kept.length] = snapshot(`expect(...).${String(keys[j]!)}`, proto, keys[j]!);
}
// The checks below use no method of an array or a string that learner code could have replaced.
function replaced(): string[] {
  const found: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    const k = kept[i]!;
    const d = realDescriptor(k.holder, k.key);
    const same = d === undefined ? !k.present : k.present && d.value === k.value && d.get === k.get && d.set === k.set;
    if (!same) found[found.length] = `${k.name} was ${d === undefined ? 'removed' : k.present ? 'replaced' : 'added'}`;
  }
  return found;
}

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
