// Every metric of the production service, created on one registry.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const APP_VERSION = '1.0.0';
export const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const PREDICTION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5];

export interface AppMetrics {
  requests: Counter<'method' | 'endpoint' | 'status_code'>;
  requestDuration: Histogram<'method' | 'endpoint'>;
  predictions: Counter<'model_version' | 'status'>;
  predictionDuration: Histogram<'model_version'>;
}

export function createMetrics(registry: Registry): AppMetrics {
  const registers = [registry];
  new Gauge({ name: 'app_info', help: 'Application information (always 1; the labels carry the data)', labelNames: ['version', 'node_version'] as const, registers })
    .set({ version: APP_VERSION, node_version: process.versions.node }, 1);
  return {
    requests: new Counter({ name: 'http_requests_total', help: 'Total HTTP requests', labelNames: ['method', 'endpoint', 'status_code'] as const, registers }),
    requestDuration: new Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request duration in seconds', labelNames: ['method', 'endpoint'] as const, buckets: REQUEST_BUCKETS, registers }),
    predictions: new Counter({ name: 'predictions_total', help: 'Predictions, by outcome (status="success" or "error")', labelNames: ['model_version', 'status'] as const, registers }),
    predictionDuration: new Histogram({ name: 'prediction_duration_seconds', help: 'Model inference duration in seconds', labelNames: ['model_version'] as const, buckets: PREDICTION_BUCKETS, registers }),
  };
}
