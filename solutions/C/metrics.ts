// The metrics of Section B, given here solved so that Section C stands on its own.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const APP_VERSION = '0.1.0';
export const MODEL_VERSION = 'v1.0';
export const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const PREDICTION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];

export interface AppMetrics {
  requests: Counter<'method' | 'endpoint' | 'status_code'>;
  requestDuration: Histogram<'method' | 'endpoint'>;
  errors: Counter<'method' | 'endpoint' | 'error_type'>;
  predictions: Counter<'model_version'>;
  predictionDuration: Histogram<'model_version'>;
  appInfo: Gauge<'version' | 'node_version'>;
}

export function createMetrics(registry: Registry): AppMetrics {
  const registers = [registry];
  const appInfo = new Gauge({
    name: 'app_info',
    help: 'Application information (always 1; the labels carry the data)',
    labelNames: ['version', 'node_version'] as const,
    registers,
  });
  appInfo.set({ version: APP_VERSION, node_version: process.versions.node }, 1);
  return {
    requests: new Counter({ name: 'http_requests_total', help: 'Total number of HTTP requests', labelNames: ['method', 'endpoint', 'status_code'] as const, registers }),
    requestDuration: new Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request duration in seconds', labelNames: ['method', 'endpoint'] as const, buckets: REQUEST_BUCKETS, registers }),
    errors: new Counter({ name: 'http_errors_total', help: 'Total number of HTTP error responses (4xx and 5xx)', labelNames: ['method', 'endpoint', 'error_type'] as const, registers }),
    predictions: new Counter({ name: 'predictions_total', help: 'Total number of predictions made', labelNames: ['model_version'] as const, registers }),
    predictionDuration: new Histogram({ name: 'prediction_duration_seconds', help: 'Time spent in the model, in seconds', labelNames: ['model_version'] as const, buckets: PREDICTION_BUCKETS, registers }),
    appInfo,
  };
}
