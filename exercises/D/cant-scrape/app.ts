// D.5 lab — a small service with request metrics. Start with SYMPTOM.md in this folder.
// Lesson: lessons/D-debug-labs.md, "D.5 Prometheus can't scrape". Grade: npm run grade -- D.5
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/** Where the service serves its metrics (and where prometheus.yml's metrics_path must point). */
export const METRICS_PATH = '/prometheus/metrics';

export interface BuiltApp {
  app: FastifyInstance;
  registry: Registry;
}

export async function buildApp(): Promise<BuiltApp> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'endpoint', 'status_code'] as const,
    registers: [registry],
  });

  const app = Fastify({ logger: false });
  app.addHook('onResponse', async (request, reply) => {
    const endpoint = request.routeOptions.url ?? 'unmatched';
    if (endpoint === METRICS_PATH) return;
    requests.inc({ method: request.method, endpoint, status_code: String(reply.statusCode) });
  });

  app.get('/health', async () => ({ status: 'healthy' }));
  app.get(METRICS_PATH, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  await app.ready();
  return { app, registry };
}
