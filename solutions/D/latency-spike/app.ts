// The reports service of lab D.1: /health, /report and /metrics on one Fastify app.
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import healthRoutes from './health.js';
import instrumentation, { createMetrics, type LabMetrics } from './metrics.js';
import reportRoutes from './report.js';

export interface BuiltApp {
  app: FastifyInstance;
  registry: Registry;
  metrics: LabMetrics;
}

export async function buildApp(): Promise<BuiltApp> {
  const registry = new Registry();
  // Process and runtime metrics, among them nodejs_eventloop_lag_p99_seconds: the gauge that shows
  // a blocked event loop directly.
  collectDefaultMetrics({ register: registry });
  const metrics = createMetrics(registry);

  const app = Fastify({ logger: false });
  await app.register(instrumentation, { metrics });
  await app.register(healthRoutes);
  await app.register(reportRoutes);
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  await app.ready();
  return { app, registry, metrics };
}
