// B.6 — Metric types in practice: pick the type that matches how each value behaves.
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
  const registers = [registry];
  return {
    jobsProcessed: new Counter({ name: 'jobs_processed_total', help: 'Jobs processed', registers }),
    queueDepth: new Gauge({ name: 'queue_depth', help: 'Jobs waiting in the queue', registers }),
    jobDuration: new Histogram({
      name: 'job_duration_seconds',
      help: 'Job duration in seconds',
      buckets: [0.01, 0.1, 1, 10],
      registers,
    }),
    jobDurationSummary: new Summary({
      name: 'job_duration_summary_seconds',
      help: 'Job duration in seconds (client-side quantiles)',
      percentiles: [0.5, 0.9, 0.99],
      // Quantiles over the last 10 minutes (5 buckets of 2 minutes), not since the process started:
      // without a window, a slow hour stays in p99 for days and today's spike barely moves it.
      maxAgeSeconds: 600,
      ageBuckets: 5,
      registers,
    }),
  };
}

/** Adds `count` finished jobs. A counter never goes down, so a bad count is refused up front. */
export function recordProcessed(metrics: QueueMetrics, count: number): void {
  if (!Number.isFinite(count) || count < 0) {
    throw new RangeError(`recordProcessed: count must be a finite number >= 0, got ${count}`);
  }
  metrics.jobsProcessed.inc(count);
}
