// C.2 — GET /health: report the dependencies' state, and the same as a gauge for alerting.
// Lesson: lessons/C-intermediate-practice.md, "C.2 Health checks". Grade: npm run grade -- C.2
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
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
  // TODO(C.2): on each GET /health, check the model (model.isHealthy()) and the uptime, and answer
  // 200 with a HealthBody when healthy, 503 with status "unhealthy" when not.
  // Also create a Gauge `app_health_status` on `registry` (1 healthy, 0 not) that is right whenever
  // Prometheus scrapes it: give it a collect() callback that runs the same checks and calls
  // this.set(...). A gauge set only inside GET /health goes stale until somebody calls /health.
  void model;
  void registry;
  void startedAt;
  app.get('/health', async () => ({ status: 'ok' }));
};

export default healthRoutes;
