// GET /inventory/:sku: how many of an item are in stock.
import type { FastifyPluginAsync } from 'fastify';
import type { ShopMetrics } from './metrics.js';

const STOCK: Record<string, number> = { widget: 12, gadget: 0, gizmo: 3 };

const inventoryRoutes: FastifyPluginAsync<{ metrics: ShopMetrics }> = async (app, { metrics }) => {
  app.get('/inventory/:sku', async (request, reply) => {
    const { sku } = request.params as { sku: string };
    const inStock = STOCK[sku];
    if (inStock === undefined) {
      metrics.inventoryLookups.inc({ result: 'unknown' });
      return reply.code(404).send({ detail: `unknown sku ${sku}` });
    }
    metrics.inventoryLookups.inc({ result: inStock > 0 ? 'in_stock' : 'out_of_stock' });
    return { sku, in_stock: inStock };
  });
};

export default inventoryRoutes;
