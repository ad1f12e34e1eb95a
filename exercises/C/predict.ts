// POST /predict from B.4, given; it also records the business metrics of C.3.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { BusinessMetrics } from './business-metrics.js';
import type { AppMetrics } from './metrics.js';
import type { Model } from './model.js';

export interface PredictOptions {
  metrics: AppMetrics;
  business: BusinessMetrics;
  model: Model;
}

export interface PredictResponse {
  prediction_id: string;
  result: number;
  model_version: string;
  created_at: string;
}

/** Returns the features when the body is valid, or a reason why it is not. */
export function parseFeatures(body: unknown): number[] | string {
  const features = (body as { features?: unknown } | null)?.features;
  if (!Array.isArray(features)) return 'features must be an array of numbers';
  if (features.length === 0) return 'features must not be empty';
  if (!features.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    return 'every feature must be a finite number';
  }
  return features as number[];
}

const predictRoutes: FastifyPluginAsync<PredictOptions> = async (app, { metrics, business, model }) => {
  // The model's series exist from start-up, at 0, so that the first prediction counts in rate().
  metrics.predictions.inc({ model_version: model.version }, 0);
  metrics.predictionDuration.zero({ model_version: model.version });

  app.post('/predict', async (request, reply) => {
    const features = parseFeatures(request.body);
    if (typeof features === 'string') {
      return reply.code(422).send({ detail: features });
    }
    const started = process.hrtime.bigint();
    const result = model.predict(features);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    metrics.predictions.inc({ model_version: model.version });
    metrics.predictionDuration.observe({ model_version: model.version }, seconds);
    business.recordPrediction(features, result);

    const response: PredictResponse = {
      prediction_id: randomUUID(),
      result,
      model_version: model.version,
      created_at: new Date().toISOString(),
    };
    return reply.code(201).send(response);
  });
};

export default predictRoutes;
