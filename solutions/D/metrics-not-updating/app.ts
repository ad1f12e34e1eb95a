// The shop service of lab D.2: /health, orders, inventory and /metrics.
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import inventoryRoutes from './inventory.js';
import instrumentation, { createMetrics, type ShopMetrics } from './metrics.js';
import ordersRoutes from './orders.js';

export interface BuiltApp {
  app: FastifyInstance;
  registry: Registry;
  metrics: ShopMetrics;
}

export async function buildApp(): Promise<BuiltApp> {
  // A fresh registry per app: building the app twice (tests, a restart in the same process) never
  // meets the metrics of the first one.
  const registry = new Registry();
  const metrics = createMetrics(registry);

  const app = Fastify({ logger: false });
  await app.register(instrumentation, { metrics });
  app.get('/health', async () => ({ status: 'ok' }));
  await app.register(ordersRoutes, { metrics });
  await app.register(inventoryRoutes, { metrics });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  await app.ready();
  return { app, registry, metrics };
}
