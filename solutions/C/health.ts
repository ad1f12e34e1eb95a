// C.2 — GET /health: report the dependencies' state, and the same as a gauge for alerting.
import type { FastifyPluginAsync } from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import type { Model } from './model.js';

export interface HealthOptions {
  model: Model;
  registry: Registry;
  /** When the service started (Date.now() milliseconds). */
  startedAt: number;
}

export interface HealthBody {
  status: 'healthy' | 'unhealthy';
  timestamp: string;
  checks: { model_loaded: boolean; uptime_seconds: number };
}

const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, { model, registry, startedAt }) => {
  /** Every check, as it is now. */
  const runChecks = (): HealthBody['checks'] => ({
    model_loaded: model.isHealthy(),
    uptime_seconds: Math.round((Date.now() - startedAt) / 10) / 100,
  });
  const isHealthy = (checks: HealthBody['checks']): boolean => checks.model_loaded;

  new Gauge({
    name: 'app_health_status',
    help: 'Application health status (1 = healthy, 0 = unhealthy)',
    registers: [registry],
    // prom-client calls collect() on every scrape: the gauge is as fresh as the scrape, whether or
    // not anybody called /health since the model changed.
    collect() {
      this.set(isHealthy(runChecks()) ? 1 : 0);
    },
  });

  app.get('/health', async (_request, reply) => {
    const checks = runChecks();
    const healthy = isHealthy(checks);
    const body: HealthBody = { status: healthy ? 'healthy' : 'unhealthy', timestamp: new Date().toISOString(), checks };
    return reply.code(healthy ? 200 : 503).send(body);
  });
};

export default healthRoutes;
