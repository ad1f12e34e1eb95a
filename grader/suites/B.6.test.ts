// B.6 — metric types in practice (the unit half; the in-flight gauge is checked live).
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createQueueMetrics, recordProcessed } from '@target/B/metric-types.js';
import { expectShape } from './inspect.js';

describe('B.6.types-chosen', () => {
  it('each queue metric has the type its value needs', async () => {
    const registry = new Registry();
    const m = createQueueMetrics(registry);
    expect(m.jobsProcessed, 'jobsProcessed only goes up: a Counter').toBeInstanceOf(Counter);
    expect(m.queueDepth, 'queueDepth goes up and down: a Gauge').toBeInstanceOf(Gauge);
    expect(m.jobDuration, 'jobDuration is a distribution that can be aggregated: a Histogram').toBeInstanceOf(Histogram);
    expect(m.jobDurationSummary, 'jobDurationSummary computes quantiles in the process: a Summary').toBeInstanceOf(Summary);
    await expectShape(registry, 'jobs_processed_total', { type: 'counter', labelNames: [] });
    await expectShape(registry, 'queue_depth', { type: 'gauge', labelNames: [] });
    await expectShape(registry, 'job_duration_seconds', { type: 'histogram', labelNames: [] });
    await expectShape(registry, 'job_duration_summary_seconds', { type: 'summary', labelNames: [] });
    m.queueDepth.inc(3);
    m.queueDepth.dec(1);
    expect((await m.queueDepth.get()).values[0]?.value, 'queue_depth after +3 and -1').toBe(2);

    // A histogram tells fast jobs from slow ones only through its bucket boundaries.
    for (const seconds of [0.004, 0.03, 0.4, 2.5]) {
      m.jobDuration.observe(seconds);
      m.jobDurationSummary.observe(seconds);
    }
    const bounds = (await m.jobDuration.get()).values.filter((v) => v.metricName === 'job_duration_seconds_bucket').map((v) => v.labels.le);
    const finite = bounds.filter((le) => le !== '+Inf').map(Number);
    expect(
      finite.some((le) => le >= 0.004 && le < 2.5),
      `job_duration_seconds should have bucket boundaries between a 4 ms job and a 2.5 s one, or it cannot tell them apart (the default buckets do; so would e.g. [0.01, 0.1, 1, 10]); its buckets: ${bounds.join(', ') || 'none'}`,
    ).toBe(true);
    const quantiles = (await m.jobDurationSummary.get()).values.filter((v) => v.labels.quantile !== undefined).map((v) => Number(v.labels.quantile));
    expect(quantiles.sort(), 'job_duration_summary_seconds should report the quantiles 0.5, 0.9 and 0.99 (percentiles: [0.5, 0.9, 0.99])').toEqual([0.5, 0.9, 0.99]);
  });
});

describe('B.6.counter-refuses-decrease', () => {
  it('recordProcessed adds good counts and refuses bad ones up front', async () => {
    const registry = new Registry();
    const m = createQueueMetrics(registry);
    recordProcessed(m, 3);
    recordProcessed(m, 2);
    const read = async () => (await m.jobsProcessed.get()).values[0]?.value ?? 0;
    expect(await read(), 'jobs_processed_total after recordProcessed(3) and (2)').toBe(5);
    let zero: unknown;
    try {
      recordProcessed(m, 0);
    } catch (error) {
      zero = error;
    }
    expect(zero, 'recordProcessed(0) is a good count (no job finished this time): only a negative or non-finite count is refused').toBeUndefined();
    expect(await read(), 'jobs_processed_total after recordProcessed(3), (2) and (0)').toBe(5);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      let thrown: unknown;
      try {
        recordProcessed(m, bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `recordProcessed(${bad}) should throw a RangeError`).toBeInstanceOf(RangeError);
      expect((thrown as Error).message, `the RangeError should name the bad value ${bad}`).toContain(String(bad));
    }
    expect(await read(), 'the counter must be unchanged after refused counts').toBe(5);
  });
});
