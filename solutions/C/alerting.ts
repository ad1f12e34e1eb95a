// C.5 — Alerting logic: the same questions alerts.yml asks Prometheus, answered from the registry.
// Lesson: lessons/C-intermediate-practice.md, "C.5 Alerting". Grade: npm run grade -- C.5
import type { Registry } from 'prom-client';
import type { Logger } from './logger.js';

export interface Bucket {
  /** Upper bound of the bucket (Infinity for +Inf). */
  le: number;
  /** Cumulative: observations less than or equal to `le`. */
  count: number;
}

/** Prometheus' histogram_quantile for classic (cumulative `le`) buckets, special cases included. */
export function histogramQuantile(q: number, buckets: Array<{ le: number; count: number }>): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...buckets].map((b) => ({ le: b.le, count: b.count })).sort((a, b) => a.le - b.le);
  if (sorted.length === 0 || sorted[sorted.length - 1]!.le !== Infinity) return Number.NaN;

  // Buckets with the same bound are one bucket; counts never go down as the bound goes up.
  const merged: Bucket[] = [];
  for (const b of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.le === b.le) last.count += b.count;
    else merged.push(b);
  }
  for (let i = 1; i < merged.length; i++) merged[i]!.count = Math.max(merged[i]!.count, merged[i - 1]!.count);
  if (merged.length < 2) return Number.NaN;

  const observations = merged[merged.length - 1]!.count;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  // The first bucket (not counting +Inf) that holds the rank-th observation.
  let b = merged.findIndex((bucket, i) => i < merged.length - 1 && bucket.count >= rank);
  if (b === -1) b = merged.length - 1;
  // In the +Inf bucket: nothing is known above the highest finite bound, so that bound is the answer.
  if (b === merged.length - 1) return merged[merged.length - 2]!.le;
  if (b === 0 && merged[0]!.le <= 0) return merged[0]!.le;

  const end = merged[b]!.le;
  let start = 0;
  let count = merged[b]!.count;
  if (b > 0) {
    start = merged[b - 1]!.le;
    count -= merged[b - 1]!.count;
    rank -= merged[b - 1]!.count;
  }
  return start + (end - start) * (rank / count);
}

async function valuesOf(registry: Registry, name: string) {
  const metric = registry.getSingleMetric(name);
  return metric ? (await metric.get()).values : [];
}

/** Share of requests answered with a 5xx status (0..1); undefined when nothing was requested. */
export async function errorRate(registry: Registry): Promise<number | undefined> {
  let total = 0;
  let errors = 0;
  for (const sample of await valuesOf(registry, 'http_requests_total')) {
    total += sample.value;
    if (String(sample.labels.status_code ?? '').startsWith('5')) errors += sample.value;
  }
  return total > 0 ? errors / total : undefined;
}

/** The q-quantile of http_request_duration_seconds over every label set, in seconds; undefined
 * when nothing has been observed yet. */
export async function latencyQuantile(registry: Registry, q: number): Promise<number | undefined> {
  const byBound = new Map<number, number>();
  for (const sample of await valuesOf(registry, 'http_request_duration_seconds')) {
    const bound = sample.labels.le; // only the _bucket samples carry `le` (not _sum, _count)
    if (bound === undefined) continue;
    const le = bound === '+Inf' ? Infinity : Number(bound);
    byBound.set(le, (byBound.get(le) ?? 0) + sample.value);
  }
  const buckets = [...byBound].map(([le, count]) => ({ le, count }));
  if ((byBound.get(Infinity) ?? 0) === 0) return undefined;
  return histogramQuantile(q, buckets);
}

export interface Alert {
  name: 'HighErrorRate' | 'HighLatencyP99';
  value: number;
  threshold: number;
  message: string;
}

export interface AlertOptions {
  logger: Logger;
  /** Error share above which HighErrorRate fires. Default 0.05 (5 %). */
  errorRateThreshold?: number;
  /** Latency in seconds above which HighLatencyP99 fires. Default 1. */
  latencyThreshold?: number;
  /** The latency quantile to watch. Default 0.99. */
  quantile?: number;
}

/** Returns the alerts that fire now, and logs a warning for each through the given logger. */
export async function checkAlerts(registry: Registry, options: AlertOptions): Promise<Alert[]> {
  const { logger, errorRateThreshold = 0.05, latencyThreshold = 1, quantile = 0.99 } = options;
  const alerts: Alert[] = [];
  const rate = await errorRate(registry);
  if (rate !== undefined && rate > errorRateThreshold) {
    alerts.push({
      name: 'HighErrorRate',
      value: rate,
      threshold: errorRateThreshold,
      message: `HIGH ERROR RATE: ${(rate * 100).toFixed(2)}% of requests failed with 5xx (threshold ${(errorRateThreshold * 100).toFixed(2)}%)`,
    });
  }
  const latency = await latencyQuantile(registry, quantile);
  if (latency !== undefined && latency > latencyThreshold) {
    alerts.push({
      name: 'HighLatencyP99',
      value: latency,
      threshold: latencyThreshold,
      message: `HIGH LATENCY: p${Math.round(quantile * 1000) / 10} is ${latency.toFixed(3)} s (threshold ${latencyThreshold} s)`,
    });
  }
  for (const alert of alerts) logger.warning(alert.message, { alert: alert.name, value: alert.value, threshold: alert.threshold });
  return alerts;
}
