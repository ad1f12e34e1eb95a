// The service: builds the Fastify app from the pieces of Section B. Given; read it, change it if you like.
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import inFlight from './in-flight.js';
import instrumentation from './instrumentation.js';
import { log as defaultLog, type LogFn } from './log.js';
import { createMetrics, MODEL_VERSION, type AppMetrics } from './metrics.js';
import metricsRoute from './metrics-route.js';
import { createModel } from './model.js';
import predictRoutes from './predict.js';
import routes from './routes.js';

export interface BuiltApp {
  app: FastifyInstance;
  registry: Registry;
  metrics: AppMetrics;
}

export interface AppOptions {
  log?: LogFn;
}

export async function buildApp(options: AppOptions = {}): Promise<BuiltApp> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createMetrics(registry);
  const log = options.log ?? defaultLog;

  const app = Fastify({ logger: false });
  await app.register(instrumentation, { metrics, log });
  await app.register(inFlight, { registry });
  await app.register(routes);
  await app.register(predictRoutes, { metrics, model: createModel(MODEL_VERSION) });
  await app.register(metricsRoute, { registry });
  await app.ready();
  return { app, registry, metrics };
}
