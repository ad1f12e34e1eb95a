// C.3 — Business metrics: what the model sees and what it answers, to spot drift early.
// Lesson: lessons/C-intermediate-practice.md, "C.3 Business metrics". Grade: npm run grade -- C.3
import { Gauge, Histogram, type Registry } from 'prom-client';

export const FEATURE_BUCKETS = [0, 0.1, 0.5, 1, 5, 10, 50, 100];
export const RESULT_BUCKETS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
/** Positions 0 to TRACKED_FEATURES - 1 get a feature_index of their own; every later position is
 * observed under OTHER_FEATURES, so that one huge input cannot create thousands of series. */
export const TRACKED_FEATURES = 10;
export const OTHER_FEATURES = 'other';

export interface BusinessMetrics {
  /** Called by POST /predict after each successful prediction. */
  recordPrediction(features: number[], result: number): void;
}

export function createBusinessMetrics(registry: Registry, model: { version: string; name: string }): BusinessMetrics {
  // TODO(C.3): here, at start-up (never lazily in recordPrediction), create on `registry`
  //   prediction_feature_value  Histogram, label feature_index, buckets FEATURE_BUCKETS
  //   prediction_result_value   Histogram, buckets RESULT_BUCKETS
  //   model_info                Gauge, labels version and name, set to 1 now
  // and make recordPrediction observe every feature under its index ("0", "1", ...) and the result.
  // Keep feature_index bounded: positions from TRACKED_FEATURES on are all observed under
  // OTHER_FEATURES, so that an input of 5,000 features still makes at most 11 label values.
  void registry;
  void model;
  void [Gauge, Histogram];
  return {
    recordPrediction() {
      // TODO(C.3)
    },
  };
}
