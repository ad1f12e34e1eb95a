// Bounded load for the debug labs' live checks: requests the grader sends and times itself, and the
// service's own histograms read as evidence to compare with what the grader measured.
import { findSamples, type Sample } from '../live/exposition.js';
import { send, type Answer } from '../live/http.js';
import type { Families } from './kit.js';

/** One request of a load: never throws (a timeout or a refused connection is status 0). */
export interface Shot {
  path: string;
  status: number;
  ms: number;
  text: string;
  error?: string;
}

export async function shoot(baseUrl: string, method: string, path: string, timeoutMs: number, body?: unknown): Promise<Shot> {
  const started = performance.now();
  try {
    const a: Answer = await send(baseUrl, method, path, { timeoutMs, ...(body !== undefined && { body }) });
    return { path, status: a.status, ms: a.ms, text: a.text };
  } catch (error) {
    return { path, status: 0, ms: performance.now() - started, text: '', error: error instanceof Error ? error.message : String(error) };
  }
}

/** One stream of requests in a load: `concurrency` workers send `path(i)` one after the other. */
export interface Lane {
  concurrency: number;
  /** At most this many requests in all. */
  max: number;
  path: (i: number) => string;
}

/** Runs the lanes side by side until each has sent its `max` or `durationMs` has passed (no new
 * request starts after that). Every request it starts is awaited, so none is left in flight. */
export async function load(baseUrl: string, lanes: Lane[], durationMs: number, timeoutMs = 5000): Promise<{ shots: Shot[][]; ms: number }> {
  const started = performance.now();
  const shots = lanes.map((): Shot[] => []);
  await Promise.all(
    lanes.flatMap((lane, l) => {
      let next = 0;
      const worker = async () => {
        while (next < lane.max && performance.now() - started < durationMs) {
          shots[l]!.push(await shoot(baseUrl, 'GET', lane.path(next++), timeoutMs));
        }
      };
      return Array.from({ length: lane.concurrency }, worker);
    }),
  );
  return { shots, ms: performance.now() - started };
}

/** Nearest-rank percentile of raw values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Bucket {
  le: number;
  count: number;
}

/** Cumulative buckets of one histogram series (labels must pick exactly one series). */
export function bucketsOf(m: Families, name: string, labels: Record<string, string>): Bucket[] {
  return findSamples(m, `${name}_bucket`, labels)
    .map((s: Sample) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), count: s.value }))
    .sort((a, b) => a.le - b.le);
}

/** after − before, bucket by bucket (a series missing before counts as all zeros). */
export function bucketDelta(after: Bucket[], before: Bucket[]): Bucket[] {
  return after.map((b) => ({ le: b.le, count: b.count - (before.find((x) => x.le === b.le)?.count ?? 0) }));
}

/** Prometheus' histogram_quantile: find the bucket holding rank q·total and interpolate linearly
 * inside it (from 0 for the first bucket); a rank in the +Inf bucket gives the highest finite bound. */
export function histogramQuantile(q: number, buckets: Bucket[]): number {
  const finite = buckets.filter((b) => Number.isFinite(b.le));
  const total = buckets.find((b) => b.le === Infinity)?.count ?? finite.at(-1)?.count ?? 0;
  if (total <= 0 || finite.length === 0) return Number.NaN;
  const rank = q * total;
  for (let i = 0; i < finite.length; i++) {
    const b = finite[i]!;
    if (b.count >= rank) {
      const lowerLe = i === 0 ? 0 : finite[i - 1]!.le;
      const lowerCount = i === 0 ? 0 : finite[i - 1]!.count;
      const inBucket = b.count - lowerCount;
      return inBucket <= 0 ? b.le : lowerLe + (b.le - lowerLe) * ((rank - lowerCount) / inBucket);
    }
  }
  return finite.at(-1)!.le;
}

/** How many of `seconds` the buckets put at or under `le` (the bucket whose bound is the first ≥ le). */
export function countAtOrBelow(buckets: Bucket[], le: number): number {
  return buckets.find((b) => b.le >= le)?.count ?? 0;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const ms = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`;
export const round = (n: number) => Math.round(n * 10) / 10;
