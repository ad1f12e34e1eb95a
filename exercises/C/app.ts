// The Section C service: Section B's service with structured logs, a health check and business metrics.
// Given; read it, change it if you like.
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createBusinessMetrics } from './business-metrics.js';
import healthRoutes from './health.js';
import instrumentation from './instrumentation.js';
import { createLogger, LEVELS, type Level, type Logger } from './logger.js';
import { createMetrics, MODEL_VERSION, type AppMetrics } from './metrics.js';
import metricsRoute from './metrics-route.js';
import { createModel, type Model } from './model.js';
import predictRoutes from './predict.js';
import routes from './routes.js';

export interface BuiltApp {
  app: FastifyInstance;
  registry: Registry;
  metrics: AppMetrics;
  model: Model;
  logger: Logger;
}

export interface AppOptions {
  logger?: Logger;
}

function levelFromEnv(): Level {
  const wanted = (process.env.LOG_LEVEL ?? 'INFO').toUpperCase();
  return (LEVELS as readonly string[]).includes(wanted) ? (wanted as Level) : 'INFO';
}

export async function buildApp(options: AppOptions = {}): Promise<BuiltApp> {
  const startedAt = Date.now();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createMetrics(registry);
  const model = createModel(MODEL_VERSION);
  const business = createBusinessMetrics(registry, model);
  const logger = options.logger ?? createLogger({ name: 'app', level: levelFromEnv() });

  const app = Fastify({ logger: false });
  await app.register(instrumentation, { metrics, logger });
  await app.register(routes, { model });
  await app.register(healthRoutes, { model, registry, startedAt });
  await app.register(predictRoutes, { metrics, business, model });
  await app.register(metricsRoute, { registry });
  await app.ready();
  return { app, registry, metrics, model, logger };
}
