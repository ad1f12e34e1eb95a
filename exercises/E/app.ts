// E — the production service. Lesson: lessons/E-production-simulation.md. Grade: npm run grade -- E
//
// This service works but is blind: no metrics, no structured logs, no health gauge. Assemble the
// monitoring you built in B and C (copy your finished modules into this folder and wire them here):
//   - GET /metrics in the Prometheus text format (content type text/plain; version=0.0.4)
//   - http_requests_total{method,endpoint,status_code} and http_request_duration_seconds{method,endpoint}
//     for every request but /metrics, with the route template (or "unmatched") as endpoint
//   - predictions_total{model_version,status} with status "success" or "error", and
//     prediction_duration_seconds{model_version} timing the model on successful predictions
//   - app_health_status (1/0) set by GET /health, and app_info{version,...} 1
//   - one JSON log line per request on stdout with request_id (the X-Request-ID, echoed back),
//     method, path, status_code and duration_ms; every stdout line must be JSON
//   - buildApp({ instrument: false }) builds the same service without the request instrumentation
//     (the grader measures what the instrumentation costs)
// and write your tests in service.test.ts.
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { createModel } from './model.js';

export interface AppOptions {
  /** false builds the same service without the instrumentation plugin (to measure its cost). */
  instrument?: boolean;
}

export async function buildApp(options: AppOptions = {}): Promise<{ app: FastifyInstance; registry: Registry }> {
  void options;
  const registry = new Registry();
  const model = createModel('v1.0');
  const app = Fastify({ logger: false });

  app.get('/health', async (_request, reply) => {
    const healthy = model.isHealthy();
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'healthy' : 'unhealthy', timestamp: new Date().toISOString() });
  });

  app.post('/predict', async (request, reply) => {
    const features = (request.body as { features?: unknown } | null)?.features;
    if (!Array.isArray(features) || features.length === 0 || !features.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      return reply.code(422).send({ detail: 'features must be a non-empty array of finite numbers' });
    }
    const result = model.predict(features as number[]);
    return reply.code(201).send({ result, model_version: model.version, created_at: new Date().toISOString() });
  });

  await app.ready();
  return { app, registry };
}
