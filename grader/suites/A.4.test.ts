// A.4 — cumulative `le` buckets from raw observations, the +Inf bucket, _sum and _count.
import { describe, expect, it } from 'vitest';
import { cumulativeBuckets } from '@target/A/buckets.js';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const show = (values: readonly number[]): string => `[${values.join(', ')}]`;
const finite = (buckets: Array<{ le: string; count: number }>) => buckets.filter((b) => b.le !== '+Inf');

describe('A.4.cumulative', () => {
  it('one bucket per bound, in order, with le printed like prom-client prints it', () => {
    const { buckets } = cumulativeBuckets([0.3], SECONDS);
    const les = finite(buckets).map((b) => b.le);
    const want = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10'];
    expect(les, `the le labels for bounds ${show(SECONDS)} should be ${JSON.stringify(want)} (then '+Inf'), saw ${JSON.stringify(les)}`).toEqual(want);
  });

  it('each bucket counts every observation ≤ its bound (cumulative, boundaries included)', () => {
    const cases: Array<{ observations: number[]; bounds: number[]; counts: number[]; why: string }> = [
      { observations: [0.2, 0.7, 1.2, 3], bounds: [0.5, 1, 2], counts: [1, 2, 3], why: 'each bucket includes every smaller bucket' },
      { observations: [1, 0.5, 2, 2], bounds: [0.5, 1, 2], counts: [1, 2, 4], why: 'a value equal to a bound belongs in that bucket (le means ≤)' },
      { observations: [0.004, 0.05, 0.05, 0.3, 0.3, 0.3, 1.7, 12], bounds: SECONDS, counts: [1, 1, 1, 3, 3, 3, 6, 6, 7, 7, 7], why: 'latencies in seconds against the prom-client default bounds' },
      { observations: [], bounds: [1, 2], counts: [0, 0], why: 'no observations: every bucket is 0' },
      { observations: [5, 9], bounds: [1, 2], counts: [0, 0], why: 'values above every bound land only in +Inf' },
      { observations: [-3, 0, 0.1], bounds: [0, 1], counts: [2, 3], why: 'negative values and 0 are ≤ a bound of 0' },
    ];
    for (const { observations, bounds, counts, why } of cases) {
      const seen = finite(cumulativeBuckets(observations, bounds).buckets);
      const want = bounds.map((b, i) => ({ le: String(b), count: counts[i] }));
      expect(seen, `cumulativeBuckets(${show(observations)}, ${show(bounds)}): ${why}. Expected ${JSON.stringify(want)}, saw ${JSON.stringify(seen)}`).toEqual(want);
    }
  });
});

describe('A.4.inf-sum-count', () => {
  it('the last bucket is +Inf and holds every observation; count and sum cover all of them', () => {
    const cases: Array<{ observations: number[]; bounds: number[]; sum: number }> = [
      { observations: [0.25, 0.5, 1.5, 3], bounds: [1, 2], sum: 5.25 },
      { observations: [0.004, 0.05, 0.05, 0.3, 0.3, 0.3, 1.75, 12], bounds: SECONDS, sum: 14.754 },
      { observations: [7.5, 20], bounds: [1], sum: 27.5 },
      { observations: [], bounds: [0.1, 1], sum: 0 },
      { observations: [0.5, 2.25], bounds: [], sum: 2.75 },
    ];
    for (const { observations, bounds, sum } of cases) {
      const call = `cumulativeBuckets(${show(observations)}, ${show(bounds)})`;
      const result = cumulativeBuckets(observations, bounds);
      expect(result.buckets.length, `${call} should give ${bounds.length + 1} buckets (one per bound, then +Inf), saw ${result.buckets.length}`).toBe(bounds.length + 1);
      const last = result.buckets[result.buckets.length - 1];
      expect(last, `${call}: the last bucket should be { le: '+Inf', count: ${observations.length} } (every observation), saw ${JSON.stringify(last)}`).toEqual({ le: '+Inf', count: observations.length });
      expect(result.count, `${call}: count (_count) should be ${observations.length}, saw ${result.count}`).toBe(observations.length);
      expect(result.sum, `${call}: sum (_sum) should be ${sum}, the total of every observation, saw ${result.sum}`).toBeCloseTo(sum, 9);
    }
  });
});

describe('A.4.validation', () => {
  it('refuses bounds that are unsorted, repeated or not finite, with a RangeError naming the bad bound', () => {
    const bad: Array<[bounds: number[], named: number, why: string]> = [
      [[0.5, 0.1, 1], 0.1, 'bounds must ascend'],
      [[0.1, 0.5, 0.5, 1], 0.5, 'a repeated bound makes an empty, ambiguous bucket'],
      [[0.1, Number.NaN], Number.NaN, 'NaN is not a bound'],
      [[0.1, Number.POSITIVE_INFINITY], Number.POSITIVE_INFINITY, 'the +Inf bucket is added for you'],
      [[-Infinity, 1], Number.NEGATIVE_INFINITY, 'bounds must be finite'],
    ];
    for (const [bounds, named, why] of bad) {
      const call = `cumulativeBuckets([0.2], ${show(bounds)}) (${why})`;
      let thrown: unknown;
      try {
        cumulativeBuckets([0.2], bounds);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `${call} should throw a RangeError`).toBeInstanceOf(RangeError);
      expect((thrown as Error).message, `${call}: the RangeError should name the bad bound ${named}`).toContain(String(named));
    }
  });
});
