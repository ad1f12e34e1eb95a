// B.2 — The metrics module: every metric the service exposes, created on one registry.
// Lesson: lessons/B-beginner-practice.md, "B.2 The metrics module". Grade: npm run grade -- B.2
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const APP_VERSION = '0.1.0';
export const MODEL_VERSION = 'v1.0';

/** Latency buckets in seconds (the base unit Prometheus expects). */
export const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Model inference is much faster than a whole request, so its buckets start lower. */
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
  // TODO(B.2): create each metric with `registers: [registry]` and return them:
  //   requests            Counter   http_requests_total            labels method, endpoint, status_code
  //   requestDuration     Histogram http_request_duration_seconds  labels method, endpoint; buckets REQUEST_BUCKETS
  //   errors              Counter   http_errors_total              labels method, endpoint, error_type
  //   predictions         Counter   predictions_total              label  model_version
  //   predictionDuration  Histogram prediction_duration_seconds    label  model_version; buckets PREDICTION_BUCKETS
  //   appInfo             Gauge     app_info                       labels version, node_version; set to 1 once
  // Give every metric a help text that says what it counts and in which unit.
  void registry;
  void [Counter, Gauge, Histogram];
  throw new Error('TODO(B.2): createMetrics is not written yet (exercises/B/metrics.ts)');
}
