// The shop's metrics and the hook that counts every request. One registry, created by buildApp and
// passed in; every metric is created once, here, when the app is built.
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, type Registry } from 'prom-client';

export interface ShopMetrics {
  requests: Counter<'method' | 'endpoint' | 'status_code'>;
  ordersCreated: Counter<string>;
  inventoryLookups: Counter<'result'>;
}

export function createMetrics(registry: Registry): ShopMetrics {
  const registers = [registry];
  return {
    requests: new Counter({ name: 'http_requests_total', help: 'Total number of HTTP requests', labelNames: ['method', 'endpoint', 'status_code'] as const, registers }),
    ordersCreated: new Counter({ name: 'orders_created_total', help: 'Orders accepted by POST /orders', registers }),
    inventoryLookups: new Counter({ name: 'inventory_lookups_total', help: 'Stock lookups by result', labelNames: ['result'] as const, registers }),
  };
}

const instrumentation: FastifyPluginAsync<{ metrics: ShopMetrics }> = async (app, { metrics }) => {
  app.addHook('onResponse', async (request, reply) => {
    // The route template ("/orders/:id"), never the raw URL: one series per route.
    const endpoint = request.routeOptions.url ?? 'unmatched';
    if (endpoint === '/metrics') return;
    metrics.requests.inc({ method: request.method, endpoint, status_code: String(reply.statusCode) });
  });
};

// fastify-plugin lifts the hook out of the plugin's own scope, so it applies to every route of the
// app, not only to routes registered inside this plugin.
export default fp(instrumentation, { name: 'shop-instrumentation' });
