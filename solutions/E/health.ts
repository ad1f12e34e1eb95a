// GET /health (from C.2): report the dependencies' state, and the same as a gauge for alerting.
import type { FastifyPluginAsync } from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import type { Model } from './model.js';

export interface HealthOptions {
  model: Model;
  registry: Registry;
  /** When the service started (performance.now() or Date.now() milliseconds, see uptime). */
  startedAt: number;
}

export interface HealthBody {
  status: 'healthy' | 'unhealthy';
  timestamp: string;
  checks: { model_loaded: boolean; uptime_seconds: number };
}

const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, { model, registry, startedAt }) => {
  // Computed when scraped (C.2): never healthy before the first check, never stale between probes.
  new Gauge({
    name: 'app_health_status',
    help: 'Application health status (1 = healthy, 0 = unhealthy)',
    registers: [registry],
    collect() {
      this.set(model.isHealthy() ? 1 : 0);
    },
  });

  app.get('/health', async (_request, reply) => {
    const checks = {
      model_loaded: model.isHealthy(),
      uptime_seconds: Math.round((Date.now() - startedAt) / 10) / 100,
    };
    const healthy = checks.model_loaded;
    const body: HealthBody = { status: healthy ? 'healthy' : 'unhealthy', timestamp: new Date().toISOString(), checks };
    return reply.code(healthy ? 200 : 503).send(body);
  });
};

export default healthRoutes;
