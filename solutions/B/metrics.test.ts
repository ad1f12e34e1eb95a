// B.7 — Tests for the service's metrics. Run them with `npx vitest run exercises/B`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from './app.js';

let built: BuiltApp;

beforeEach(async () => {
  built = await buildApp({ log: () => {} });
});

afterEach(async () => {
  await built.app.close();
});

/** The value of one series of a counter or gauge, 0 when the series does not exist yet. */
async function valueOf(name: string, labels: Record<string, string>): Promise<number> {
  const metric = built.registry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  const { values } = await metric.get();
  const match = values.find((v) =>
    Object.entries(labels).every(([key, value]) => String(v.labels[key]) === value),
  );
  return match?.value ?? 0;
}

describe('GET /metrics', () => {
  it('answers in the Prometheus text format', async () => {
    const response = await built.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('# TYPE http_requests_total counter');
  });

  it('does not count its own requests', async () => {
    await built.app.inject({ method: 'GET', url: '/metrics' });
    await built.app.inject({ method: 'GET', url: '/metrics' });
    const response = await built.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.body).not.toContain('endpoint="/metrics"');
  });
});

describe('request metrics', () => {
  it('counts a request with method, endpoint and status code', async () => {
    await built.app.inject({ method: 'GET', url: '/health' });
    await built.app.inject({ method: 'GET', url: '/health' });
    expect(await valueOf('http_requests_total', { method: 'GET', endpoint: '/health', status_code: '200' })).toBe(2);
  });

  it('counts server errors too', async () => {
    const response = await built.app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(await valueOf('http_requests_total', { method: 'GET', endpoint: '/boom', status_code: '500' })).toBe(1);
    expect(await valueOf('http_errors_total', { method: 'GET', endpoint: '/boom', error_type: 'server_error' })).toBe(1);
  });

  it('records latency in seconds', async () => {
    await built.app.inject({ method: 'GET', url: '/work?ms=120' });
    const histogram = built.registry.getSingleMetric('http_request_duration_seconds');
    const { values } = await histogram!.get();
    const sum = values.find((v) => (v as { metricName?: string }).metricName === 'http_request_duration_seconds_sum' && v.labels.endpoint === '/work');
    expect(sum?.value).toBeGreaterThanOrEqual(0.1);
    expect(sum?.value).toBeLessThan(5);
  });
});

describe('prediction metrics', () => {
  it('count successful predictions only', async () => {
    const ok = await built.app.inject({ method: 'POST', url: '/predict', payload: { features: [1, 2, 3] } });
    const bad = await built.app.inject({ method: 'POST', url: '/predict', payload: { features: [] } });
    expect(ok.statusCode).toBe(201);
    expect(bad.statusCode).toBe(422);
    expect(await valueOf('predictions_total', { model_version: 'v1.0' })).toBe(1);
  });
});
