// E — the production service, assembled: metrics, request instrumentation, JSON logs, health, /metrics.
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import healthRoutes from './health.js';
import instrumentation from './instrumentation.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import metricsRoute from './metrics-route.js';
import { createModel } from './model.js';
import predictRoutes from './predict.js';

export interface AppOptions {
  logger?: Logger;
  /** false builds the same service without the instrumentation plugin (to measure its cost). */
  instrument?: boolean;
}

export async function buildApp(options: AppOptions = {}): Promise<{ app: FastifyInstance; registry: Registry }> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createMetrics(registry);
  const model = createModel('v1.0');
  const logger = options.logger ?? createLogger({ name: 'app' });
  const app = Fastify({ logger: false });
  if (options.instrument !== false) await app.register(instrumentation, { metrics, logger });
  await app.register(healthRoutes, { model, registry, startedAt: Date.now() });
  await app.register(predictRoutes, { metrics, model });
  await app.register(metricsRoute, { registry });
  await app.ready();
  return { app, registry };
}
