// The shop's request counter and the hook that counts requests.
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, type Registry } from 'prom-client';

export interface ShopMetrics {
  requests: Counter<'method' | 'endpoint' | 'status_code'>;
}

export function createMetrics(registry: Registry): ShopMetrics {
  return {
    requests: new Counter({ name: 'http_requests_total', help: 'Total number of HTTP requests', labelNames: ['method', 'endpoint', 'status_code'] as const, registers: [registry] }),
  };
}

const instrumentation: FastifyPluginAsync<{ metrics: ShopMetrics }> = async (app, { metrics }) => {
  app.addHook('onResponse', async (request, reply) => {
    const endpoint = request.url;
    if (endpoint === '/metrics') return;
    metrics.requests.inc({ method: request.method, endpoint, status_code: String(reply.statusCode) });
  });
};

export default fp(instrumentation, { name: 'shop-instrumentation' });
