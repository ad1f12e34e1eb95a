// Request metrics for the reports service (given; part of the lab, not the bug): every request is
// counted and timed by one hook at the root of the app, under its route template.
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Histogram, type Registry } from 'prom-client';

export const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface LabMetrics {
  requests: Counter<'method' | 'endpoint' | 'status_code'>;
  requestDuration: Histogram<'method' | 'endpoint'>;
}

export function createMetrics(registry: Registry): LabMetrics {
  const registers = [registry];
  return {
    requests: new Counter({ name: 'http_requests_total', help: 'Total number of HTTP requests', labelNames: ['method', 'endpoint', 'status_code'] as const, registers }),
    requestDuration: new Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request duration in seconds', labelNames: ['method', 'endpoint'] as const, buckets: REQUEST_BUCKETS, registers }),
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    labStart: bigint;
  }
}

const instrumentation: FastifyPluginAsync<{ metrics: LabMetrics }> = async (app, { metrics }) => {
  app.decorateRequest('labStart', 0n);
  app.addHook('onRequest', async (request) => {
    request.labStart = process.hrtime.bigint();
  });
  app.addHook('onResponse', async (request, reply) => {
    const endpoint = request.routeOptions.url ?? 'unmatched';
    if (endpoint === '/metrics') return;
    const seconds = Number(process.hrtime.bigint() - request.labStart) / 1e9;
    metrics.requests.inc({ method: request.method, endpoint, status_code: String(reply.statusCode) });
    metrics.requestDuration.observe({ method: request.method, endpoint }, seconds);
  });
};

export default fp(instrumentation, { name: 'lab-instrumentation' });
