// The quotes service of lab D.4: GET /quotes/:symbol and /metrics.
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import quotesRoutes from './quotes.js';

export interface BuiltApp {
  app: FastifyInstance;
  registry: Registry;
}

export async function buildApp(): Promise<BuiltApp> {
  const registry = new Registry();
  // The process's memory as Prometheus names it: process_resident_memory_bytes (RSS, what the
  // container limit counts) and nodejs_heap_size_used_bytes (the JavaScript heap), with the rest of
  // prom-client's default metrics. Graph both over hours: a leak is a line that only goes up.
  collectDefaultMetrics({ register: registry });
  const lookups = new Counter({ name: 'quote_cache_lookups_total', help: 'Price-history cache lookups by result (hit or miss)', labelNames: ['result'] as const, registers: [registry] });

  const app = Fastify({ logger: false });
  await app.register(quotesRoutes, { lookups });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  await app.ready();
  return { app, registry };
}
