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
  // TODO(C.5): compute the q-quantile exactly as Prometheus does:
  //   - q is NaN → NaN; q < 0 → -Infinity; q > 1 → +Infinity
  //   - sort by le; without a +Inf bucket → NaN; buckets with the same le add up; a count lower
  //     than the bucket before it is raised to that count
  //   - no observations at all (the +Inf count is 0), or only the +Inf bucket → NaN
  //   - rank = q × total; find the first finite bucket whose count >= rank
  //     · none (the rank is in +Inf) → the upper bound of the highest finite bucket
  //     · the first bucket, with an upper bound <= 0 → that upper bound
  //     · else interpolate linearly between the bucket's lower bound (the previous le, or 0 for the
  //       first bucket) and its upper bound, by how far the rank is into the bucket's own count
  void q;
  void buckets;
  throw new Error('TODO(C.5): histogramQuantile is not written yet');
}

/** Share of requests answered with a 5xx status (0..1); undefined when nothing was requested. */
export async function errorRate(registry: Registry): Promise<number | undefined> {
  // TODO(C.5): add up http_requests_total over every label set (registry.getSingleMetric(...).get()),
  // and the part of it whose status_code starts with 5. A 4xx is the client's mistake: not counted.
  void registry;
  throw new Error('TODO(C.5): errorRate is not written yet');
}

/** The q-quantile of http_request_duration_seconds over every label set, in seconds; undefined
 * when nothing has been observed yet. */
export async function latencyQuantile(registry: Registry, q: number): Promise<number | undefined> {
  // TODO(C.5): add up the _bucket samples of http_request_duration_seconds per `le` over every
  // label set (like `sum by (le)` in PromQL; "+Inf" is Infinity), then use histogramQuantile.
  void registry;
  void q;
  throw new Error('TODO(C.5): latencyQuantile is not written yet');
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
  // TODO(C.5): an alert fires when its value is strictly above its threshold (no traffic: no alert).
  // For each firing alert: options.logger.warning(message, { alert: name, value, threshold }).
  void registry;
  void options;
  throw new Error('TODO(C.5): checkAlerts is not written yet');
}
