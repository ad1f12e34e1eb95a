// GET /health: the load balancer's probe. It pings the (simulated) database before answering, as a
// real readiness check would, so it waits for one short timer on every call.
import type { FastifyPluginAsync } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';

/** Stands in for `SELECT 1` on a connection pool: about a millisecond of waiting, no CPU. */
export async function pingDatabase(): Promise<boolean> {
  await sleep(1);
  return true;
}

const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/health', async (_request, reply) => {
    const database = await pingDatabase();
    if (!database) return reply.code(503).send({ status: 'unhealthy', checks: { database } });
    return { status: 'ok', checks: { database } };
  });
};

export default healthRoutes;
