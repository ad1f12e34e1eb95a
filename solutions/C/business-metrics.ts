// C.3 — Business metrics: what the model sees and what it answers, to spot drift early.
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
  const registers = [registry];
  const featureValue = new Histogram({
    name: 'prediction_feature_value',
    help: 'Distribution of individual feature values, per position in the input',
    labelNames: ['feature_index'] as const,
    buckets: FEATURE_BUCKETS,
    registers,
  });
  const predictionResult = new Histogram({
    name: 'prediction_result_value',
    help: 'Distribution of prediction results (0 to 1)',
    buckets: RESULT_BUCKETS,
    registers,
  });
  const modelInfo = new Gauge({
    name: 'model_info',
    help: 'The model being served (always 1; the labels carry the data)',
    labelNames: ['version', 'name'] as const,
    registers,
  });
  modelInfo.set({ version: model.version, name: model.name }, 1);

  return {
    recordPrediction(features, result) {
      features.forEach((value, index) => {
        featureValue.observe({ feature_index: index < TRACKED_FEATURES ? String(index) : OTHER_FEATURES }, value);
      });
      predictionResult.observe(result);
    },
  };
}
