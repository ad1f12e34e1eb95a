// POST /predict, with predictions counted by outcome and the model timed alone.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { AppMetrics } from './metrics.js';
import type { Model } from './model.js';

function parseFeatures(body: unknown): number[] | string {
  const features = (body as { features?: unknown } | null)?.features;
  if (!Array.isArray(features) || features.length === 0) return 'features must be a non-empty array of numbers';
  if (!features.every((x) => typeof x === 'number' && Number.isFinite(x))) return 'every feature must be a finite number';
  return features as number[];
}

const predictRoutes: FastifyPluginAsync<{ metrics: AppMetrics; model: Model }> = async (app, { metrics, model }) => {
  // Both outcomes exist from the start, at 0 (C.3): a rate() or an alert on errors has a series to read.
  for (const status of ['success', 'error'] as const) metrics.predictions.inc({ model_version: model.version, status }, 0);
  app.post('/predict', async (request, reply) => {
    const features = parseFeatures(request.body);
    if (typeof features === 'string') {
      metrics.predictions.inc({ model_version: model.version, status: 'error' });
      return reply.code(422).send({ detail: features });
    }
    const started = process.hrtime.bigint();
    const result = model.predict(features);
    metrics.predictionDuration.observe({ model_version: model.version }, Number(process.hrtime.bigint() - started) / 1e9);
    metrics.predictions.inc({ model_version: model.version, status: 'success' });
    return reply.code(201).send({ prediction_id: randomUUID(), result, model_version: model.version, created_at: new Date().toISOString() });
  });
};

export default predictRoutes;
