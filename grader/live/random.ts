// Seeded randomness for traffic and test data: every run varies, and `--seed N` replays one exactly.
import { randomInt } from 'node:crypto';

export interface Random {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  /** Lower-case letters and digits, `length` of them. */
  token(length?: number): string;
  /** A fresh generator whose sequence depends on this seed and `label` (stable per check). */
  fork(label: string): Random;
}

/** A seed for a new run: a whole number that fits in 31 bits (so it prints and parses plainly). */
export function newSeed(): number {
  return randomInt(1, 2 ** 31 - 1);
}

export function parseSeed(text: string): number | undefined {
  if (!/^\d{1,10}$/.test(text.trim())) return undefined;
  const seed = Number(text.trim());
  return Number.isSafeInteger(seed) && seed >= 0 && seed < 2 ** 31 ? seed : undefined;
}

/** mulberry32: small, fast, and the same sequence on every machine for the same seed. */
export function random(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick() needs at least one item');
      return items[int(0, items.length - 1)] as T;
    },
    shuffle: <T>(items: readonly T[]): T[] => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j] as T, out[i] as T];
      }
      return out;
    },
    token: (length = 8): string => Array.from({ length }, () => '0123456789abcdefghijklmnopqrstuvwxyz'[int(0, 35)]).join(''),
    fork: (label: string): Random => {
      let h = seed ^ 0x9e3779b9;
      for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
      return random(h >>> 0);
    },
  };
}
