// The quotes service of lab D.4: GET /quotes/:symbol and /metrics.
import Fastify, { type FastifyInstance } from 'fastify';
import { Counter, Registry } from 'prom-client';
import quotesRoutes from './quotes.js';

export interface BuiltApp {
  app: FastifyInstance;
  registry: Registry;
}

export async function buildApp(): Promise<BuiltApp> {
  const registry = new Registry();
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
