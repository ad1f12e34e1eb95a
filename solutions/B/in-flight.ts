// B.6 — An in-flight gauge: how many requests the service is handling right now.
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge, type Registry } from 'prom-client';

export interface InFlightOptions {
  registry: Registry;
}

const inFlight: FastifyPluginAsync<InFlightOptions> = async (app, { registry }) => {
  const gauge = new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests being handled right now',
    registers: [registry],
  });
  app.addHook('onRequest', async () => {
    gauge.inc();
  });
  // onResponse runs for every request that got its answer, errors and 404s included...
  app.addHook('onResponse', async () => {
    gauge.dec();
  });
  // ...but not for one whose client hung up first: that one ends in onRequestAbort instead.
  // (An async onRequestAbort hook must take exactly one parameter, the request, or Fastify refuses it.)
  app.addHook('onRequestAbort', async (_request) => {
    gauge.dec();
  });
};

export default fp(inFlight, { name: 'in-flight' });
