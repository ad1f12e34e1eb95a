// The shop service of lab D.2: /health, orders, inventory and /metrics.
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import inventoryRoutes from './inventory.js';
import { createMetrics, type ShopMetrics } from './metrics.js';
import ordersRoutes from './orders.js';

export interface BuiltApp {
  app: FastifyInstance;
  registry: Registry;
  metrics: ShopMetrics;
}

export async function buildApp(): Promise<BuiltApp> {
  const registry = new Registry();
  const metrics = createMetrics(registry);

  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ status: 'ok' }));
  await app.register(ordersRoutes, { metrics, registry });
  await app.register(inventoryRoutes);
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  await app.ready();
  return { app, registry, metrics };
}
