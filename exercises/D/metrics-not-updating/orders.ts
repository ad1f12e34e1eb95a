// GET /orders/:id and POST /orders. The orders team counts their requests here.
import type { FastifyPluginAsync } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import instrumentation, { type ShopMetrics } from './metrics.js';

interface NewOrder {
  item?: unknown;
  quantity?: unknown;
}

const ordersRoutes: FastifyPluginAsync<{ metrics: ShopMetrics; registry: Registry }> = async (app, { metrics, registry }) => {
  await app.register(instrumentation, { metrics });
  let nextId = 1000;

  app.get('/orders/:id', async (request, reply) => {
    const id = Number((request.params as { id: string }).id);
    if (!Number.isInteger(id) || id <= 0) return reply.code(404).send({ detail: 'no such order' });
    return { id, status: id % 2 === 0 ? 'shipped' : 'packing' };
  });

  app.post('/orders', async (request, reply) => {
    const { item, quantity } = (request.body ?? {}) as NewOrder;
    if (typeof item !== 'string' || item === '' || !Number.isInteger(quantity) || (quantity as number) < 1) {
      return reply.code(422).send({ detail: 'an order needs an item (string) and a quantity (integer ≥ 1)' });
    }
    // Registering the same name twice throws "already registered", so the old one goes first.
    registry.removeSingleMetric('orders_created_total');
    const ordersCreated = new Counter({ name: 'orders_created_total', help: 'Orders accepted by POST /orders', registers: [registry] });
    ordersCreated.inc();
    return reply.code(201).send({ id: nextId++, item, quantity, status: 'received' });
  });
};

export default ordersRoutes;
