// The service's ordinary routes. They are given: the exercises are about watching them.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsync } from 'fastify';
import type { Model } from './model.js';

export interface RoutesOptions {
  model: Model;
}

const MAX_WORK_MS = 2000;

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { model }) => {
  // The switch for C.2: POST /admin/model-health {"healthy": false} makes the model unhealthy,
  // {"healthy": true} makes it healthy again. (A real service would protect an admin route.)
  app.post<{ Body: { healthy?: unknown } }>('/admin/model-health', async (request, reply) => {
    const healthy = request.body?.healthy;
    if (typeof healthy !== 'boolean') return reply.code(422).send({ detail: 'send {"healthy": true|false}' });
    model.setHealthy(healthy);
    return { healthy };
  });

  app.get<{ Params: { id: string } }>('/items/:id', async (request) => ({
    id: request.params.id,
    name: `item ${request.params.id}`,
  }));

  // Simulated slow work: GET /work?ms=150 answers after 150 ms (at most 2 s).
  app.get<{ Querystring: { ms?: string } }>('/work', async (request) => {
    const ms = Math.min(Math.max(Number(request.query.ms ?? 50) || 0, 0), MAX_WORK_MS);
    await sleep(ms);
    return { worked_ms: ms };
  });

  // A route that always fails, to see server errors in the metrics.
  app.get('/boom', async () => {
    throw new Error('boom: a simulated server error');
  });
};

export default routes;
