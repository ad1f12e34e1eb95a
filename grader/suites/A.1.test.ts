// A.1 — percentiles by nearest rank, input validation, and the "averages lie" case.
import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '@target/A/percentiles.js';

const show = (values: readonly number[]): string =>
  values.length > 12 ? `[${values.slice(0, 12).join(', ')}, ... (${values.length} values)]` : `[${values.join(', ')}]`;

/** Samples with their nearest-rank percentiles (rank = ceil(p × n / 100), 1-based, on the sorted values). */
const CASES: Array<{ name: string; values: number[]; expected: Record<number, number> }> = [
  { name: 'one value', values: [42], expected: { 1: 42, 50: 42, 99: 42, 100: 42 } },
  { name: 'two values, unsorted', values: [30, 10], expected: { 1: 10, 50: 10, 50.1: 30, 100: 30 } },
  {
    name: 'ten values, unsorted',
    values: [7, 3, 10, 1, 9, 2, 8, 5, 6, 4],
    expected: { 10: 1, 25: 3, 50: 5, 75: 8, 90: 9, 95: 10, 100: 10 },
  },
  {
    name: 'unsorted, with duplicates',
    values: [120, 15, 15, 900, 15, 40, 40, 15],
    expected: { 12.5: 15, 50: 15, 62.5: 40, 75: 40, 87.5: 120, 90: 900, 100: 900 },
  },
  {
    // numbers whose digits sort differently as text: 100 < 25 < 3 < 9 if compared as strings
    name: 'values that sort differently as text than as numbers',
    values: [100, 9, 25, 3, 1000, 250],
    expected: { 1: 3, 34: 25, 50: 25, 51: 100, 66.6: 100, 67: 250, 100: 1000 },
  },
  {
    name: 'fractional seconds',
    values: [0.25, 0.012, 1.5, 0.08, 0.3],
    expected: { 20: 0.012, 40: 0.08, 60: 0.25, 80: 0.3, 81: 1.5, 100: 1.5 },
  },
  {
    name: '1..20 ms',
    values: Array.from({ length: 20 }, (_, i) => 20 - i),
    expected: { 5: 1, 50: 10, 51: 11, 90: 18, 95: 19, 99: 20, 100: 20 },
  },
];

describe('A.1.nearest-rank', () => {
  it('percentile(values, p) returns the nearest-rank value: rank ceil(p × n / 100) of the sorted values', () => {
    for (const { name, values, expected } of CASES) {
      for (const [pText, want] of Object.entries(expected)) {
        const p = Number(pText);
        const seen = percentile(values, p);
        const rank = Math.ceil((p * values.length) / 100);
        expect(
          seen,
          `${name}: percentile(${show(values)}, ${p}) should be ${want} (rank ceil(${p} × ${values.length} / 100) = ${rank} of the sorted values), saw ${seen}`,
        ).toBe(want);
      }
    }
  });

  it('p = 100 is the largest value, and every result is one of the observed values', () => {
    const values = [5.5, 0.5, 3.25, 8.75, 2];
    expect(percentile(values, 100), `percentile(${show(values)}, 100) should be the maximum 8.75`).toBe(8.75);
    for (const p of [0.1, 13, 37.5, 50, 99.99]) {
      const seen = percentile(values, p);
      expect(values.includes(seen), `percentile(${show(values)}, ${p}) gave ${seen}, which is not one of the values: nearest rank never interpolates`).toBe(true);
    }
  });
});

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('A.1.validation', () => {
  it('refuses an empty list and a p outside (0, 100] with a RangeError naming the problem', () => {
    const empty = thrownBy(() => percentile([], 50));
    expect(empty, 'percentile([], 50) should throw a RangeError (there is no value to pick)').toBeInstanceOf(RangeError);
    expect((empty as Error).message, 'the RangeError for an empty list should say the list is "empty"').toMatch(/empty/i);
    const emptySummary = thrownBy(() => summarize([]));
    expect(emptySummary, 'summarize([]) should throw a RangeError').toBeInstanceOf(RangeError);
    for (const bad of [0, -5, 100.5, 150, Number.NaN]) {
      const error = thrownBy(() => percentile([1, 2, 3], bad));
      expect(error, `percentile([1, 2, 3], ${bad}) should throw a RangeError: p must be in (0, 100]`).toBeInstanceOf(RangeError);
      expect((error as Error).message, `the RangeError should name the bad p, ${bad}`).toContain(String(bad));
    }
  });

  it('leaves the caller\'s array as it was', () => {
    const values = [30, 10, 20, 50, 40];
    const before = [...values];
    percentile(values, 50);
    percentile(values, 100);
    expect(values, `percentile() must not reorder its input: it was ${show(before)}, afterwards ${show(values)}. Sort a copy.`).toEqual(before);
    summarize(values);
    expect(values, `summarize() must not reorder its input: it was ${show(before)}, afterwards ${show(values)}. Sort a copy.`).toEqual(before);
  });
});

describe('A.1.averages-lie', () => {
  it('99 × 10 ms + 1 × 10 000 ms: the mean and p99 look fine, p99.9 and max show the slow request', () => {
    // the slow request arrives in the middle of the traffic, not at the end
    const values = [...Array<number>(60).fill(10), 10_000, ...Array<number>(39).fill(10)];
    const s = summarize(values);
    const want = { count: 100, mean: 109.9, p50: 10, p95: 10, p99: 10, p999: 10_000, max: 10_000 };
    for (const key of Object.keys(want) as Array<keyof typeof want>) {
      if (key === 'mean') {
        expect(s.mean, `mean of 99 × 10 ms and 1 × 10 000 ms should be 10 990 / 100 = 109.9, saw ${s.mean}`).toBeCloseTo(109.9, 9);
      } else {
        expect(s[key], `summarize(99 × 10 ms + 1 × 10 000 ms).${key} should be ${want[key]}, saw ${s[key]}`).toBe(want[key]);
      }
    }
  });

  it('a second sample: 1 001 requests, 2 of them slow', () => {
    const values = Array.from({ length: 1001 }, (_, i) => (i === 17 ? 4000 : i === 503 ? 2500 : 20 + (i % 10)));
    const s = summarize(values);
    const want = { count: 1001, p50: 25, p95: 29, p99: 29, p999: 2500, max: 4000 };
    for (const key of Object.keys(want) as Array<keyof typeof want>) {
      expect(s[key], `summarize(999 values of 20..29 ms plus 2500 and 4000 ms).${key} should be ${want[key]}, saw ${s[key]}`).toBe(want[key]);
    }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(s.mean, `mean should be ${mean}, saw ${s.mean}`).toBeCloseTo(mean, 9);
  });
});
