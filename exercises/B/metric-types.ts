// B.6 — Metric types in practice: pick the type that matches how each value behaves.
// Lesson: lessons/B-beginner-practice.md, "B.6 Metric types in practice". Grade: npm run grade -- B.6
import { Counter, Gauge, Histogram, Summary, type Registry } from 'prom-client';

export interface QueueMetrics {
  /** Jobs finished since the process started: only ever goes up. */
  jobsProcessed: Counter;
  /** Jobs waiting right now: goes up and down. */
  queueDepth: Gauge;
  /** How long jobs take, as a distribution that can be aggregated across instances. */
  jobDuration: Histogram;
  /** The same, with quantiles computed in the process (cannot be aggregated). */
  jobDurationSummary: Summary;
}

export function createQueueMetrics(registry: Registry): QueueMetrics {
  // TODO(B.6): create the four metrics on `registry`:
  //   jobs_processed_total (Counter), queue_depth (Gauge),
  //   job_duration_seconds (Histogram), job_duration_summary_seconds (Summary, percentiles 0.5 0.9 0.99,
  //   with a sliding window: maxAgeSeconds 600 and ageBuckets 5, so its quantiles describe the last
  //   10 minutes rather than everything since the process started)
  void registry;
  void [Counter, Gauge, Histogram, Summary];
  throw new Error('TODO(B.6): createQueueMetrics is not written yet (exercises/B/metric-types.ts)');
}

/** Adds `count` finished jobs. A counter never goes down, so a bad count is refused up front. */
export function recordProcessed(metrics: QueueMetrics, count: number): void {
  // TODO(B.6): throw a RangeError that names the bad value when count is negative or not finite;
  // otherwise add it to metrics.jobsProcessed.
  void metrics;
  void count;
  throw new Error('TODO(B.6): recordProcessed is not written yet (exercises/B/metric-types.ts)');
}
