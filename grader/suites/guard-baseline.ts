// The built-ins and matchers of a test worker as they were before any learner code ran in it: taken
// once, when the first suite file of the worker sets up. guard-setup.ts runs again before every file;
// where vitest reuses a worker for several files (the suites that share workers, vitest.config.ts),
// this module is not evaluated again, so learner code of an earlier file cannot move the baseline.
// Learner code cannot reach it either: exercise code may import nothing of the grader's.
import { expect } from 'vitest';

const GLOBAL_EXPECT = Symbol.for('expect-global');
/** Error as it was: the canary's own failure must not be a class learner code put in its place. */
export const RealError = Error;
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
export function replaced(): string[] {
  const found: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    const k = kept[i]!;
    const d = realDescriptor(k.holder, k.key);
    const same = d === undefined ? !k.present : k.present && d.value === k.value && d.get === k.get && d.set === k.set;
    if (!same) found[found.length] = `${k.name} was ${d === undefined ? 'removed' : k.present ? 'replaced' : 'added'}`;
  }
  return found;
}

