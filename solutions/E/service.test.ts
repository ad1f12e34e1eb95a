// E — your metrics tests for the production service. Run them with `npx vitest run exercises/E`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';

let built: Awaited<ReturnType<typeof buildApp>>;
const silent = { debug() {}, info() {}, warning() {}, error() {} };

beforeEach(async () => {
  built = await buildApp({ logger: silent });
});
afterEach(async () => {
  await built.app.close();
});

async function metricsText(): Promise<string> {
  const response = await built.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('version=0.0.4');
  return response.body;
}

describe('the production service', () => {
  it('counts and times every request, but not /metrics', async () => {
    await built.app.inject({ method: 'GET', url: '/health' });
    await built.app.inject({ method: 'GET', url: '/nowhere' });
    const text = await metricsText();
    expect(text).toContain('http_requests_total{method="GET",endpoint="/health",status_code="200"} 1');
    expect(text).toContain('http_requests_total{method="GET",endpoint="unmatched",status_code="404"} 1');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",endpoint="/health"} 1');
    expect(text).not.toContain('endpoint="/metrics"');
  });

  it('counts successful and failed predictions and times the successful ones', async () => {
    await built.app.inject({ method: 'POST', url: '/predict', payload: { features: [1, 2] } });
    await built.app.inject({ method: 'POST', url: '/predict', payload: { features: [] } });
    const text = await metricsText();
    expect(text).toContain('predictions_total{model_version="v1.0",status="success"} 1');
    expect(text).toContain('predictions_total{model_version="v1.0",status="error"} 1');
    expect(text).toContain('prediction_duration_seconds_count{model_version="v1.0"} 1');
  });

  it('exposes health and version', async () => {
    await built.app.inject({ method: 'GET', url: '/health' });
    const text = await metricsText();
    expect(text).toContain('app_health_status 1');
    expect(text).toMatch(/app_info\{version="\d+\.\d+\.\d+"/);
  });
});
