// B.2 — the metrics module: names, types, help, label names and buckets.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '@target/B/metrics.js';
import { expectShape } from './inspect.js';

const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const PREDICTION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];

function fresh(): { registry: Registry; metrics: ReturnType<typeof createMetrics> } {
  const registry = new Registry();
  return { registry, metrics: createMetrics(registry) };
}

describe('B.2.request-counter', () => {
  it('http_requests_total', async () => {
    const { registry, metrics } = fresh();
    await expectShape(registry, 'http_requests_total', { type: 'counter', labelNames: ['method', 'endpoint', 'status_code'] });
    expect(metrics.requests, 'metrics.requests should be the http_requests_total counter').toBe(registry.getSingleMetric('http_requests_total'));
  });
});

describe('B.2.latency-histogram', () => {
  it('http_request_duration_seconds', async () => {
    const { registry, metrics } = fresh();
    await expectShape(registry, 'http_request_duration_seconds', {
      type: 'histogram',
      labelNames: ['method', 'endpoint'],
      buckets: REQUEST_BUCKETS,
    });
    expect(metrics.requestDuration, 'metrics.requestDuration should be that histogram').toBe(registry.getSingleMetric('http_request_duration_seconds'));
  });
});

describe('B.2.error-counter', () => {
  it('http_errors_total', async () => {
    const { registry, metrics } = fresh();
    await expectShape(registry, 'http_errors_total', { type: 'counter', labelNames: ['method', 'endpoint', 'error_type'] });
    expect(metrics.errors, 'metrics.errors should be the http_errors_total counter').toBe(registry.getSingleMetric('http_errors_total'));
  });
});

describe('B.2.prediction-metrics', () => {
  it('predictions_total and prediction_duration_seconds', async () => {
    const { registry, metrics } = fresh();
    await expectShape(registry, 'predictions_total', { type: 'counter', labelNames: ['model_version'] });
    await expectShape(registry, 'prediction_duration_seconds', {
      type: 'histogram',
      labelNames: ['model_version'],
      buckets: PREDICTION_BUCKETS,
    });
    expect(metrics.predictions, 'metrics.predictions should be predictions_total').toBe(registry.getSingleMetric('predictions_total'));
    expect(metrics.predictionDuration, 'metrics.predictionDuration should be prediction_duration_seconds').toBe(
      registry.getSingleMetric('prediction_duration_seconds'),
    );
  });
});

describe('B.2.app-info', () => {
  it('app_info', async () => {
    const { registry } = fresh();
    await expectShape(registry, 'app_info', { type: 'gauge', labelNames: ['version', 'node_version'] });
    const { values } = await registry.getSingleMetric('app_info')!.get();
    expect(values.length, 'app_info should have exactly one series, set once at start').toBe(1);
    expect(values[0]?.value, 'app_info is always 1: the labels carry the information').toBe(1);
    expect(String(values[0]?.labels.version ?? ''), 'the version label holds the app version').toMatch(/^\d+\.\d+\.\d+/);
    expect(String(values[0]?.labels.node_version ?? ''), 'the node_version label holds process.versions.node').toBe(process.versions.node);
  });
});
