// C.3 — Business metrics: what the model sees and what it answers, to spot drift early.
// Lesson: lessons/C-intermediate-practice.md, "C.3 Business metrics". Grade: npm run grade -- C.3
import { Gauge, Histogram, type Registry } from 'prom-client';

export const FEATURE_BUCKETS = [0, 0.1, 0.5, 1, 5, 10, 50, 100];
export const RESULT_BUCKETS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

export interface BusinessMetrics {
  /** Called by POST /predict after each successful prediction. */
  recordPrediction(features: number[], result: number): void;
}

export function createBusinessMetrics(registry: Registry, model: { version: string; name: string }): BusinessMetrics {
  // TODO(C.3): on `registry`, create
  //   prediction_feature_value  Histogram, label feature_index, buckets FEATURE_BUCKETS
  //   prediction_result_value   Histogram, buckets RESULT_BUCKETS
  //   model_info                Gauge, labels version and name, set to 1 once
  // and make recordPrediction observe every feature under its index ("0", "1", ...) and the result.
  void registry;
  void model;
  void [Gauge, Histogram];
  return {
    recordPrediction() {
      // TODO(C.3)
    },
  };
}
