// B.5 — GET /metrics: the registry in the Prometheus text exposition format.
// Lesson: lessons/B-beginner-practice.md, "B.5 The /metrics endpoint". Grade: npm run grade -- B.5
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export interface MetricsRouteOptions {
  registry: Registry;
}

const metricsRoute: FastifyPluginAsync<MetricsRouteOptions> = async (app, { registry }) => {
  app.get('/metrics', async (_request, reply) => {
    // TODO(B.5): answer with the registry's text and the content type Prometheus expects
    // (the registry knows both).
    void registry;
    return reply.code(501).send('TODO(B.5): GET /metrics is not written yet\n');
  });
};

export default metricsRoute;
