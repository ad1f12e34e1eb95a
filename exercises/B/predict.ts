// B.4 — POST /predict: validate, run the model, record prediction metrics on success only.
// Lesson: lessons/B-beginner-practice.md, "B.4 The prediction endpoint". Grade: npm run grade -- B.4
import type { FastifyPluginAsync } from 'fastify';
import type { AppMetrics } from './metrics.js';
import type { Model } from './model.js';

export interface PredictOptions {
  metrics: AppMetrics;
  model: Model;
}

export interface PredictResponse {
  prediction_id: string;
  result: number;
  model_version: string;
  created_at: string;
}

const predictRoutes: FastifyPluginAsync<PredictOptions> = async (app, { metrics, model }) => {
  app.post('/predict', async (_request, reply) => {
    // TODO(B.4): read `features` from the body. When it is missing, empty, or holds anything but
    // finite numbers, answer 422 with { detail: "<why>" }. Otherwise time model.predict(features)
    // alone, count it in metrics.predictions and observe the seconds in metrics.predictionDuration
    // (both labelled with model_version), and answer 201 with a PredictResponse.
    void metrics;
    void model;
    return reply.code(501).send({ detail: 'TODO(B.4): POST /predict is not written yet' });
  });
};

export default predictRoutes;
