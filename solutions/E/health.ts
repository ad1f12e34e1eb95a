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
  const gauge = new Gauge({
    name: 'app_health_status',
    help: 'Application health status (1 = healthy, 0 = unhealthy)',
    registers: [registry],
  });
  gauge.set(1);

  app.get('/health', async (_request, reply) => {
    const checks = {
      model_loaded: model.isHealthy(),
      uptime_seconds: Math.round((Date.now() - startedAt) / 10) / 100,
    };
    const healthy = checks.model_loaded;
    gauge.set(healthy ? 1 : 0);
    const body: HealthBody = { status: healthy ? 'healthy' : 'unhealthy', timestamp: new Date().toISOString(), checks };
    return reply.code(healthy ? 200 : 503).send(body);
  });
};

export default healthRoutes;
